// Shell completion in real shells from Debian, loading the scripts shipped in completions/ and running
// the built binary as `tokens` on PATH: bash with bash-completion (its completion function called as
// bash calls it), zsh in a pseudo-terminal (compinit, then list-choices on the typed line) and fish
// (complete -C). Names come from the server through `tokens __complete`: with the server up they are
// offered; down, unreachable or without a credential, only the static and file completions are, with
// nothing printed and nothing hanging.
import { spawn, type IPty } from '@lydell/node-pty';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort } from '../helpers/process.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { useServerAndCli } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const COMPLETIONS = join(ROOT, 'completions');
const shared = useServerAndCli();

let home: string;
/** Files for the file-path flags to complete. */
let files: string;
/** A port that refuses connections, and a server that accepts and never answers. */
let closedPort: number;
let blackHole: Server;
let blackHolePort: number;
let env: Record<string, string>;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'tokens-completion-'));
  // `tokens` on PATH is the built binary, run by the project's Node.
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(join(ROOT, 'bin/tokens.js'), join(bin, 'tokens'));
  files = join(home, 'secrets');
  mkdirSync(files);
  for (const name of ['api.token', 'app.pem', 'other.txt']) writeFileSync(join(files, name), '');
  closedPort = await freePort();
  blackHole = createServer(() => undefined).listen(0, '127.0.0.1');
  await new Promise((resolve) => blackHole.once('listening', resolve));
  blackHolePort = (blackHole.address() as { port: number }).port;

  const { server } = shared;
  for (const name of ['invoice:read']) await api(server, server.adminSecret, 'POST', '/v1/scopes', { name });
  for (const name of ['ci-deploy', 'ci-build', 'gateway']) await api(server, server.adminSecret, 'POST', '/v1/tokens', { name, scopes: ['tokens:read'] });
  const gateway = (await api(server, server.adminSecret, 'GET', '/v1/tokens?name=gateway')).body.data[0];
  await api(server, server.adminSecret, 'POST', `/v1/tokens/${gateway.id}/suspend`, {});

  // No TOKENS_API_URL: the profiles say where the server is (staging, the current one) or is not (offline).
  env = {
    PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: home,
    TOKENS_CONFIG_DIR: shared.cli.configDir,
    TOKENS_TOKEN: server.adminSecret,
    LANG: 'C.UTF-8',
  };
  for (const [name, url] of [['offline', `http://127.0.0.1:${closedPort}`], ['staging', server.url]] as const) {
    await execa('tokens', ['profile', 'add', name, '--api-url', url, '--use'], { env, extendEnv: false });
  }
}, 60_000);

afterAll(async () => {
  zshSession?.kill();
  blackHole?.close();
  rmSync(home, { recursive: true, force: true });
});

const words = (lines: string) => lines.split('\n').map((l) => l.split('\t')[0]!.trim()).filter(Boolean);

/** bash with bash-completion loaded, completing `line` as if Tab were pressed at its end. */
async function bash(line: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const script = `source /usr/share/bash-completion/bash_completion || exit 9
declare -F _comp_initialize >/dev/null || declare -F _init_completion >/dev/null || exit 9
source "${COMPLETIONS}/tokens.bash"
COMP_LINE="$LINE"; COMP_POINT=\${#LINE}; COMPREPLY=()
_tokens
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['--norc', '--noprofile', '-c', script], { env: { ...env, ...extraEnv, LINE: line }, extendEnv: false });
  expect(r.stderr, `bash: ${line}`).toBe('');
  return words(r.stdout);
}

/** fish's own completion engine on `line`. */
async function fish(line: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const r = await execa('fish', ['--no-config', '-c', `source ${COMPLETIONS}/tokens.fish; complete -C "$LINE"`], { env: { ...env, ...extraEnv, LINE: line }, extendEnv: false });
  expect(r.stderr, `fish: ${line}`).toBe('');
  return words(r.stdout);
}

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\u0007/g, '');

let zshSession: IPty | undefined;
let zshOutput = '';
let zshRound = 0;

async function waitFor(pattern: RegExp, what: string): Promise<void> {
  for (let waited = 0; !pattern.test(plain(zshOutput)); waited += 25) {
    if (waited > 15_000) throw new Error(`zsh never printed ${what}; screen:\n${plain(zshOutput)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * zsh at a terminal, compinit loaded and _tokens on fpath: types `line`, asks for the list of choices
 * (Ctrl-D), then clears the line and echoes a marker; the choices are what zsh listed in between.
 */
async function zsh(line: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const sessionEnv = { ...env, ...extraEnv };
  if (!zshSession || JSON.stringify(sessionEnv) !== (zshSession as unknown as { envKey: string }).envKey) {
    zshSession?.kill();
    zshSession = spawn('zsh', ['-f', '-i'], { cols: 200, rows: 50, cwd: home, env: { ...sessionEnv, TERM: 'dumb' } });
    (zshSession as unknown as { envKey: string }).envKey = JSON.stringify(sessionEnv);
    zshOutput = '';
    zshSession.onData((data) => (zshOutput += data));
    zshSession.write(`PS1='ZP> '; fpath=(${COMPLETIONS} $fpath); autoload -Uz compinit; compinit -u -D; echo __READY__\r`);
    await waitFor(/^__READY__\r?\n[^]*ZP> $/m, 'its first prompt');
  }
  const marker = `__END_${++zshRound}__`;
  zshOutput = '';
  zshSession.write(`${line}\u0004`);
  zshSession.write(`\u0015echo ${marker}\r`);
  // The marker, then the next prompt: the line editor is back, ready for the next keys.
  await waitFor(new RegExp(`^${marker}\\r?\\n[^]*ZP> $`, 'm'), `the end of "${line}"`);
  const screen = plain(zshOutput);
  const before = screen.slice(0, screen.indexOf(`echo ${marker}`));
  const listed = before.indexOf('\r\nZP> ');
  if (listed < 0) return [];
  return before
    .slice(before.indexOf('\r\n') + 2, listed)
    .split(/\r?\n/)
    .flatMap((row) => (row.includes(' -- ') ? [row.split(' -- ')[0]!.trim()] : row.trim().split(/\s+/)))
    .filter(Boolean);
}

const SHELLS = { bash, zsh, fish } as const;
const sorted = (list: string[]) => [...new Set(list)].sort();

describe.each(Object.keys(SHELLS) as (keyof typeof SHELLS)[])('%s', (shell) => {
  const complete = (line: string, extraEnv?: Record<string, string>) => SHELLS[shell](line, extraEnv).then(sorted);

  it('completes commands and subcommands from the command tree', async () => {
    expect(await complete('tokens sc')).toEqual(['scan', 'scopes']);
    expect(await complete('tokens sco')).toEqual(['scopes']);
    expect(await complete('tokens scopes catalog ')).toEqual(['add', 'list', 'remove']);
    expect(await complete('tokens completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('offers token names from the server where a token is named, by the statuses that make sense', async () => {
    expect(await complete('tokens show ')).toEqual(['bootstrap', 'ci-build', 'ci-deploy', 'gateway']);
    expect(await complete('tokens update ci-')).toEqual(['ci-build', 'ci-deploy']);
    expect(await complete('tokens revoke ')).toEqual(['bootstrap', 'ci-build', 'ci-deploy', 'gateway']);
    expect(await complete('tokens rotate ci-deploy ')).toEqual(['bootstrap', 'ci-build', 'ci-deploy']);
    expect(await complete('tokens suspend ')).toEqual(['bootstrap', 'ci-build', 'ci-deploy']);
    expect(await complete('tokens resume ')).toEqual(['gateway']);
    expect(await complete('tokens audit --token ci-d')).toEqual(['ci-deploy']);
    expect(await complete('tokens usage ci-')).toEqual(['ci-build', 'ci-deploy']);
    expect(await complete('tokens scopes add ')).toEqual(['bootstrap', 'ci-build', 'ci-deploy', 'gateway']);
  });

  it('offers scope names for --scope and scope arguments, custom ones where only those fit', async () => {
    const all = ['audit:read', 'invoice:read', 'management', 'tokens:read', 'tokens:revoke', 'tokens:write', 'verify'];
    expect(await complete('tokens create --scope ')).toEqual(all);
    expect(await complete('tokens list --scope inv')).toEqual(['invoice:read']);
    expect(await complete('tokens scopes add ci-deploy ')).toEqual(all);
    expect(await complete('tokens scopes catalog remove ')).toEqual(['invoice:read']);
    // bash replaces only what follows the colon, so that is what it offers.
    expect(await complete('tokens revoke --scope tokens:r')).toEqual(shell === 'bash' ? ['read', 'revoke'] : ['tokens:read', 'tokens:revoke']);
  });

  it('offers profile names, and asks the server of the profile the command line names', async () => {
    expect(await complete('tokens --profile ')).toEqual(['offline', 'staging']);
    expect(await complete('tokens profile use ')).toEqual(['offline', 'staging']);
    expect(await complete('tokens --profile staging show ci-b')).toEqual(['ci-build']);
    expect(await complete('tokens --profile offline show ci-b')).toEqual([]);
  });

  // zsh lists the file names it would complete the last path segment with; bash and fish the whole paths.
  const inFiles = (...names: string[]) => names.map((n) => (shell === 'zsh' ? n : join(files, n)));

  it('completes file paths for file flags', async () => {
    for (const flag of ['export -o', 'export --output', 'server --db', 'server --bootstrap-file', 'server --pepper-file', 'server --tls-cert', 'rotate ci-deploy --deliver-file', '--ca-file', 'scan']) {
      expect(await complete(`tokens ${flag} ${files}/a`), flag).toEqual(inFiles('api.token', 'app.pem'));
    }
  });

  it('with the server down or not answering, or no credential: no names, no errors, and the rest still completes', async () => {
    for (const [label, extra] of [
      ['refused', { TOKENS_API_URL: `http://127.0.0.1:${closedPort}` }],
      ['never answers', { TOKENS_API_URL: `http://127.0.0.1:${blackHolePort}` }],
      ['no credential', { TOKENS_TOKEN: '' }],
    ] as const) {
      expect(await complete('tokens show ', extra), label).toEqual([]);
      expect(await complete('tokens create --scope ', extra), label).toEqual([]);
      expect(await complete('tokens resume --st', extra), label).toEqual(['--status']);
      expect(await complete(`tokens export -o ${files}/app`, extra), label).toEqual(inFiles('app.pem'));
      expect(await complete('tokens --profile ', extra), label).toEqual(['offline', 'staging']);
    }
  });
});

describe('the scripts', () => {
  it('are the ones tokens completion prints, and the hidden value source stays out of --help', async () => {
    for (const [shell, file] of [['bash', 'tokens.bash'], ['zsh', '_tokens'], ['fish', 'tokens.fish']] as const) {
      const r = await execa('tokens', ['completion', shell], { env, extendEnv: false });
      expect(`${r.stdout}\n`).toBe(readFileSync(join(COMPLETIONS, file), 'utf8'));
    }
    const help = await execa('tokens', ['--help'], { env, extendEnv: false });
    expect(help.stdout).not.toContain('__complete');
  });

  it('tokens __complete prints names one per line, and nothing (exit 0, no stderr) for what it cannot know', async () => {
    const names = await execa('tokens', ['__complete', 'suspended-tokens'], { env, extendEnv: false });
    expect(names).toMatchObject({ exitCode: 0, stdout: 'gateway', stderr: '' });
    for (const args of [['no-such-source'], ['live-tokens'], ['files']]) {
      const r = await execa('tokens', ['__complete', ...args], { env: { ...env, TOKENS_API_URL: `http://127.0.0.1:${closedPort}` }, extendEnv: false, reject: false });
      expect(r, args.join(' ')).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    }
  });
});
