// In-process CLI runs: main(argv, seed) with fake IO (TTY on or off), a temp config dir, and
// fake keychain/prompter providers of the same shape as the real ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { createIO, type Env, type IO } from '../../src/terminal/io.js';
import { KeychainUnavailableError, type Keychain } from '../../src/credentials/keychain.js';
import type { Choice, Prompter } from '../../src/terminal/prompter.js';
import type { Providers } from '../../src/cli/define.js';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { collectingStream, type CollectingStream } from '../helpers/streams.js';

export interface FakeIO {
  io: IO;
  stdout(): string;
  stderr(): string;
}

function sink(isTTY: boolean, columns?: number): CollectingStream & { isTTY: boolean; columns?: number } {
  return Object.assign(collectingStream(), { isTTY, ...(columns ? { columns } : {}) });
}

export function fakeIO(opts: { tty?: boolean; stdin?: string; env?: Env; columns?: number } = {}): FakeIO {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = Boolean(opts.tty);
  stdin.end(opts.stdin ?? '');
  const stdout = sink(Boolean(opts.tty), opts.columns ?? 120);
  const stderr = sink(Boolean(opts.tty));
  const io = createIO({ stdin, stdout, stderr, env: opts.env ?? {} });
  return { io, stdout: () => stdout.text, stderr: () => stderr.text };
}

/** A keychain in memory, with a log of what was asked of it. */
export function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async get(account) {
      return entries.get(account) ?? null;
    },
    async set(account, secret) {
      entries.set(account, secret);
    },
    async delete(account) {
      return entries.delete(account);
    },
  };
}

export function unavailableKeychain(): Keychain {
  const fail = async (): Promise<never> => {
    throw new KeychainUnavailableError('no Secret Service on the session bus');
  };
  return { get: fail, set: fail, delete: fail };
}

/** Answers prompts in order; records every question asked. */
export function scriptedPrompter(answers: unknown[]): Prompter & { asked: string[]; choicesSeen: Choice[][] } {
  const asked: string[] = [];
  const choicesSeen: Choice[][] = [];
  const next = async <T>(message: string): Promise<T> => {
    asked.push(message);
    if (!answers.length) throw new Error(`unexpected prompt: ${message}`);
    return answers.shift() as T;
  };
  return {
    asked,
    choicesSeen,
    text: (q) => next(q.message),
    secret: (q) => next(q.message),
    confirm: (q) => next(q.message),
    checkbox: (q) => {
      choicesSeen.push(q.choices);
      return next(q.message);
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliEnv {
  configDir: string;
  env: Env;
  cleanup(): void;
}

/** A temp config dir and an environment pointing at the server, acting as its bootstrap admin. */
export function cliEnv(server: Pick<TestServer, 'url' | 'adminSecret'> | null, extra: Env = {}): CliEnv {
  const configDir = mkdtempSync(join(tmpdir(), 'tokens-cli-'));
  const env: Env = {
    TOKENS_CONFIG_DIR: configDir,
    NO_COLOR: '1',
    ...(server ? { TOKENS_API_URL: server.url, TOKENS_TOKEN: server.adminSecret } : {}),
    ...extra,
  };
  return { configDir, env, cleanup: () => rmSync(configDir, { recursive: true, force: true }) };
}

export interface RunOptions {
  env: Env;
  tty?: boolean;
  stdin?: string;
  columns?: number;
  providers?: Partial<Providers>;
  clock?: () => number;
}

export async function run(argv: string[], opts: RunOptions): Promise<RunResult> {
  const fake = fakeIO({ tty: opts.tty, stdin: opts.stdin, env: opts.env, columns: opts.columns });
  const providers: Partial<Providers> = { keychain: async () => unavailableKeychain(), ...opts.providers };
  const code = await main(argv, { io: fake.io, providers, clock: opts.clock });
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** Runs and insists on exit 0, returning stdout (stderr shown on failure). */
export async function ok(argv: string[], opts: RunOptions): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`tokens ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A real server for the file (startTestServer, or another `start`) and a CLI environment acting as
 * its admin; read them inside tests.
 */
export function useServerAndCli<S extends Pick<TestServer, 'url' | 'adminSecret' | 'destroy'> = TestServer>(
  extra: Env = {},
  start: () => Promise<S> = startTestServer as unknown as () => Promise<S>,
): { readonly server: S; readonly cli: CliEnv } {
  let server: S;
  let cli: CliEnv;
  beforeAll(async () => {
    server = await start();
    cli = cliEnv(server, extra);
  });
  afterAll(async () => {
    cli?.cleanup();
    await server?.destroy();
  });
  return {
    get server() {
      return server;
    },
    get cli() {
      return cli;
    },
  };
}
