// The built binary (bin/tokens.js → dist/) with execa: wiring, exit codes, pipes, colour, help,
// and what loads at startup (completions: completion.test.ts).
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommandTree } from '../../src/cli/main.js';
import type { CommandDefinition } from '../../src/cli/define.js';
import { ok, useServerAndCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const ROOT = join(import.meta.dirname, '../..');
const shared = useServerAndCli();

function tokens(args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}) {
  return execa(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...shared.cli.env, NO_COLOR: undefined, ...opts.env },
    extendEnv: false,
    reject: false,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
}

describe('wiring and exit codes', () => {
  it('--version and --help exit 0; --help lists every command and the exit codes', async () => {
    const version = await tokens(['--version']);
    expect(version).toMatchObject({ exitCode: 0, stdout: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version });
    const help = await tokens(['--help']);
    expect(help.exitCode).toBe(0);
    for (const name of ['login', 'logout', 'whoami', 'profile', 'create', 'list', 'show', 'update', 'scopes', 'rotate', 'revoke', 'suspend', 'resume', 'audit', 'check', 'policy', 'export', 'import', 'server', 'completion']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(help.stdout).toContain('Exit codes:\n  0  ok\n  1  error\n  2  usage error or cancelled\n  3  partial failure in a bulk command\n  4  authentication or permission denied\n  5  not found\n  6  conflict (409/412, or an ambiguous selector)\n  7  server unreachable or timed out\n  8  check found tokens needing attention, or scan found live secrets');
  });

  it('usage errors exit 2 with one line', async () => {
    const unknown = await tokens(['lst']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'lst'");
    expect(unknown.stderr).toContain('(Did you mean list?)');
    const badFlag = await tokens(['list', '--frobnicate']);
    expect(badFlag.exitCode).toBe(2);
    const badChoice = await tokens(['completion', 'tcsh']);
    expect(badChoice.exitCode).toBe(2);
    expect(badChoice.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it('documented exit codes end to end: 4, 5, 6, 7', async () => {
    expect((await tokens(['list'], { env: { TOKENS_TOKEN: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' } })).exitCode).toBe(4);
    expect((await tokens(['show', 'no-such-token'])).exitCode).toBe(5);
    await tokens(['create', '--name', 'bin-amb-1', '--scope', 'verify']);
    await tokens(['create', '--name', 'bin-amb-2', '--scope', 'verify']);
    expect((await tokens(['show', 'tkn_'])).exitCode).toBe(6);
    const down = await tokens(['list'], { env: { TOKENS_API_URL: 'http://127.0.0.1:9', TOKENS_HTTP_RETRIES: '0' } });
    expect(down.exitCode).toBe(7);
    expect(down.stderr.split('\n')[0]).toBe('error: cannot reach the tokens server at http://127.0.0.1:9: connection refused');
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });

  it('piped: the secret alone on stdout; TSV for lists; JSON that jq reads', async () => {
    const created = await tokens(['create', '--name', 'pipe-1', '--scope', 'verify']);
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toMatch(/^tkn_[0-9A-Za-z]{38}$/);
    const listed = await tokens(['list', '--name-prefix', 'pipe-']);
    expect(listed.stdout).toMatch(/^tok_\w{26}\tpipe-1\tactive\tverify\ttkn_\w{6}\t\t\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t$/);
    const jq = await execa('bash', ['-c', `node "${BIN}" list --json | jq -r '.data[] | select(.name == "pipe-1") | .status'`], {
      env: { ...process.env, ...shared.cli.env },
      reject: false,
    });
    expect(jq).toMatchObject({ exitCode: 0, stdout: 'active' });
  });

  it('a reader that goes away early (| head -1) is not an error', async () => {
    await tokens(['create', '--name', 'epipe-1', '--scope', 'verify']);
    await tokens(['create', '--name', 'epipe-2', '--scope', 'verify']);
    const r = await execa('bash', ['-c', `set -o pipefail; node "${BIN}" list --all | head -1`], { env: { ...process.env, ...shared.cli.env }, reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^tok_\w{26}\t/);
    expect(r.stderr).toBe('');
  });

  it('--token-stdin reads the credential from a pipe', async () => {
    const r = await tokens(['whoami', '--token-stdin', '--field', 'credential_source'], { env: { TOKENS_TOKEN: undefined }, input: `${shared.server.adminSecret}\n` });
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ exitCode: 0, stdout: '--token-stdin' });
  });

  it('NO_COLOR and FORCE_COLOR', async () => {
    await tokens(['create', '--name', 'bin-colour', '--scope', 'verify']);
    const plain = await tokens(['list', '--name-prefix', 'bin-colour']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await tokens(['list', '--name-prefix', 'bin-colour'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/^\u001b\[1mID +NAME/);
    expect(forced.stdout).toContain('\u001b[32mactive\u001b[39m');
    const both = await tokens(['show', 'bin-colour'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(both.stdout).not.toContain('\u001b[');
    const err = await tokens(['show', 'nothing-here'], { env: { FORCE_COLOR: '1' } });
    expect(err.stderr).toContain('\u001b[31merror:\u001b[39m');
  });
});

describe('help', () => {
  function paths(defs: CommandDefinition[], prefix: string[] = []): { path: string[]; def: CommandDefinition }[] {
    return defs.flatMap((def) => [{ path: [...prefix, def.name], def }, ...paths(def.subcommands ?? [], [...prefix, def.name])]);
  }

  it('every command and subcommand has a description and at least one real example', async () => {
    const all = paths(await loadCommandTree());
    expect(all.length).toBeGreaterThan(20);
    for (const { path, def } of all) {
      expect(def.examples.length, path.join(' ')).toBeGreaterThan(0);
      const out = await ok([...path, '--help'], { env: shared.cli.env });
      expect(out.replace(/\s+/g, ' '), path.join(' ')).toContain((def.description ?? def.summary).replace(/\s+/g, ' '));
      expect(out, path.join(' ')).toMatch(/\nExamples:\n {2}\$ (tokens |source |TOKENS_|[A-Z_]+=)/);
      for (const example of def.examples) expect(example.includes('tokens'), example).toBe(true);
    }
  });

  it('the manifest summaries match the commands', async () => {
    const { COMMANDS } = await import('../../src/cli/manifest.js');
    const tree = await loadCommandTree();
    expect(COMMANDS.map((c) => c.summary)).toEqual(tree.map((d) => d.summary));
  });
});

describe('startup', () => {
  async function loaded(args: string[], env: Record<string, string> = { TOKENS_HTTP_RETRIES: '0', TOKENS_API_URL: 'http://127.0.0.1:9' }): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-loads-'));
    const log = join(dir, 'loads.txt');
    try {
      await execa(process.execPath, ['--import', join(import.meta.dirname, 'fixtures/record-loads.mjs'), BIN, ...args], {
        env: { ...shared.cli.env, TOKENS_LOAD_LOG: log, ...env },
        reject: false,
      });
      return readFileSync(log, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // Libraries are bundled into dist/ chunks; esbuild marks each bundled file with a
  // "// node_modules/<package>/…" comment, so the loaded chunks say which libraries came with them.
  function librariesIn(modules: string): string {
    const chunks = modules.split('\n').filter((url) => url.includes('/dist/'));
    return modules + chunks.map((url) => readFileSync(new URL(url), 'utf8').match(/^\/\/ node_modules\/\S+/gm)?.join('\n') ?? '').join('\n');
  }

  it('--version loads nothing of the CLI; --help loads commander but no prompt library, keychain binding, HTTP client, config store or schema library', async () => {
    const version = await loaded(['--version']);
    expect(version).not.toContain('/dist/');
    const help = librariesIn(await loaded(['--help']));
    expect(help).toContain('/dist/cli.js');
    expect(help).toContain('node_modules/commander/');
    for (const heavy of ['node_modules/@inquirer/', '@napi-rs/keyring', 'node_modules/undici/', 'node_modules/conf/', 'keychain', '@sinclair/typebox', 'node:http\n']) {
      expect(help, `--help loaded ${heavy}`).not.toContain(heavy);
    }
  });

  // README, Performance: a read command loads commander, the CLI's own code and node:http — not
  // undici (bundled, or Node's own behind fetch and an ESM import of node:http), the config store and
  // its schema library, or the built-ins they bring (zlib, http2, worker_threads, node:crypto).
  it('a read command against the server loads node:http and none of undici, conf, ajv, http2, zlib, worker_threads or crypto', async () => {
    const reads = [['list', '--json'], ['whoami'], ['show', 'no-such-token-name']];
    for (const args of reads) {
      const modules = await loaded(args, {});
      const libraries = librariesIn(modules);
      expect(modules, args.join(' ')).toContain('node:http\n');
      expect(libraries, args.join(' ')).toContain('node_modules/commander/');
      for (const heavy of [
        'node_modules/undici/',
        'node:internal/deps/undici/',
        'node_modules/conf/',
        'node_modules/ajv/',
        'node_modules/@inquirer/',
        '@sinclair/typebox',
        'node:http2\n',
        'node:zlib\n',
        'node:worker_threads\n',
        'node:crypto\n',
      ]) {
        expect(libraries, `${args.join(' ')} loaded ${heavy}`).not.toContain(heavy);
      }
    }
  });

  it('the same check sees what it looks for: a command that writes a profile loads conf, and create loads node:crypto', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-loads-config-'));
    try {
      const add = librariesIn(await loaded(['profile', 'add', 'loads', '--api-url', 'http://127.0.0.1:9'], { TOKENS_CONFIG_DIR: dir }));
      expect(add).toContain('node_modules/conf/');
      const create = await loaded(['create', '--name', `loads-${Date.now()}`, '--scope', 'verify', '--json'], {});
      expect(create).toContain('node:crypto\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
