// Real pseudo-terminals (node-pty) running the built binary: interactive create, the hidden secret
// prompt of login, and the confirmation before a revoke.
import { spawn, type IPty } from '@lydell/node-pty';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { useServerAndCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const DOWN = '\u001b[B';
const shared = useServerAndCli();

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

interface Terminal {
  /** Resolves once the screen output contains the text (guarded so a broken prompt fails, not hangs). */
  waitFor(text: string): Promise<void>;
  type(keys: string): void;
  output(): string;
  exit: Promise<number>;
}

function terminal(args: string[], env: Record<string, string | undefined> = {}): Terminal {
  const pty: IPty = spawn(process.execPath, [BIN, ...args], {
    cols: 120,
    rows: 40,
    env: Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...shared.cli.env, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>,
  });
  let buffer = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  pty.onData((data) => {
    buffer += data;
    for (const w of [...waiters]) {
      if (plain(buffer).includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exit = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    waitFor(text) {
      if (plain(buffer).includes(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const guard = setTimeout(() => reject(new Error(`never saw "${text}"; screen so far:\n${plain(buffer)}`)), 15_000);
        waiters.push({ text, resolve: () => (clearTimeout(guard), resolve()) });
      });
    },
    type: (keys) => pty.write(keys),
    output: () => plain(buffer),
    exit,
  };
}

describe('in a real terminal', () => {
  it('create asks for name, scopes and expiry, then shows the secret once in a box', async () => {
    const t = terminal(['create']);
    await t.waitFor('Name of the new token:');
    t.type('pty-created\r');
    await t.waitFor('Scopes (space to select, enter to confirm):');
    // The catalog starts management, tokens:read, …: pick tokens:read.
    t.type(DOWN);
    t.type(' ');
    t.type('\r');
    await t.waitFor('Expires (e.g. 90d, 12h, 2027-03-01, never):');
    t.type('\r');
    expect(await t.exit).toBe(0);
    const screen = t.output();
    const secret = /tkn_[0-9A-Za-z]{38}/.exec(screen)![0];
    expect(screen).toContain('✓ Created token pty-created');
    expect(screen).toContain('cannot be shown again');
    expect(screen.split(secret)).toHaveLength(2);
    const listed = await api(shared.server, shared.server.adminSecret, 'GET', '/v1/tokens?name=pty-created');
    expect(listed.body.data[0]).toMatchObject({ scopes: ['tokens:read'] });
    const days = (Date.parse(listed.body.data[0].expires_at) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
  });

  it('login reads the secret without echoing it', async () => {
    const t = terminal(['login', '--insecure-storage'], { TOKENS_TOKEN: undefined });
    await t.waitFor('Paste the token secret for profile "default"');
    t.type(`${shared.server.adminSecret}\r`);
    expect(await t.exit).toBe(0);
    expect(t.output()).toContain('✓ Logged in to');
    expect(t.output()).not.toContain(shared.server.adminSecret);
  });

  it('revoke shows what will change and asks; "n" keeps the token, "y" revokes it', async () => {
    const created = await api(shared.server, shared.server.adminSecret, 'POST', '/v1/tokens', { name: 'pty-revoke', scopes: ['verify'] });
    const id = created.body.token.id;

    const no = terminal(['revoke', 'pty-revoke']);
    await no.waitFor('Revoke pty-revoke?');
    expect(no.output()).toContain(`Revoke pty-revoke (${id}): active → revoked.`);
    no.type('n\r');
    expect(await no.exit).toBe(2);
    expect((await api(shared.server, shared.server.adminSecret, 'GET', `/v1/tokens/${id}`)).body.status).toBe('active');

    const yes = terminal(['revoke', 'pty-revoke', '--reason', 'drill']);
    await yes.waitFor('Revoke pty-revoke?');
    yes.type('y\r');
    expect(await yes.exit).toBe(0);
    expect(yes.output()).toContain(`✓ Revoked pty-revoke (${id})`);
    expect((await api(shared.server, shared.server.adminSecret, 'GET', `/v1/tokens/${id}`)).body).toMatchObject({ status: 'revoked', revoke_reason: 'drill' });
  });

  it('Ctrl-C at a prompt cancels with exit 2', async () => {
    const t = terminal(['create']);
    await t.waitFor('Name of the new token:');
    t.type('\u0003');
    expect(await t.exit).toBe(2);
  });
});
