// `tokens __complete SOURCE [PREFIX]`, the hidden command the shell completion scripts ask for values
// that only the server or the profiles know: token names, scope names, profile names, one per line.
// It runs with the same profile, credential and HTTP client as any command, but quickly and quietly:
// tight time limits on the keychain and the server, one overall limit, no retries, nothing on stderr,
// and nothing at all (exit 0) when the server is down or no credential is set.
import { Writable } from 'node:stream';
import { createContext, type ContextSeed } from './context.js';
import type { CommandDefinition, Context } from './define.js';
import { VALUE_SOURCES, type ValueSource } from './options.js';
import type { GlobalOptions } from './shared-options.js';
import { createIO } from '../terminal/io.js';

export const COMPLETE_COMMAND = '__complete';

/** All of it, from start to the last line out; the shell waits for no longer. */
const TIME_LIMIT_MS = 1500;
/** The time limits the context's keychain and HTTP client take from the environment, in seconds. */
const QUICK = { TOKENS_KEYCHAIN_TIMEOUT: '1', TOKENS_HTTP_TIMEOUT: '1', TOKENS_HTTP_RETRIES: '0' };
/** Enough names to choose from at a prompt; a prefix narrows them on the server. */
const MAX_VALUES = 500;

async function values(source: ValueSource, prefix: string, ctx: Context): Promise<string[]> {
  switch (source) {
    case 'profiles':
      return (await ctx.profiles()).list().map((p) => p.name);
    case 'scopes':
    case 'custom-scopes':
      return (await (await ctx.api()).listScopes()).filter((s) => source === 'scopes' || !s.builtin).map((s) => s.name);
    case 'live-tokens':
    case 'active-tokens':
    case 'suspended-tokens': {
      const status = source === 'live-tokens' ? 'active,suspended' : source.replace('-tokens', '');
      const tokens = await (await ctx.api()).listTokens({ status, ...(prefix ? { name_prefix: prefix } : {}) }, MAX_VALUES);
      return tokens.map((t) => t.name);
    }
    case 'files':
      // The shells complete files themselves.
      return [];
  }
}

/** Resolves to [] after `ms` unless `work` is done first; the timer never keeps the process alive. */
function within<T>(work: Promise<T[]>, ms: number): Promise<T[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), ms);
    timer.unref();
    work.then(
      (found) => {
        clearTimeout(timer);
        resolve(found);
      },
      () => {
        clearTimeout(timer);
        resolve([]);
      },
    );
  });
}

/** Prints the values of `source` that start with `prefix`, one per line; never an error, always exit 0. */
export async function printCompletions(seed: ContextSeed, globals: GlobalOptions, source: string, prefix: string, commandTree: () => Promise<CommandDefinition[]>): Promise<number> {
  const { io } = seed;
  if (!(VALUE_SOURCES as readonly string[]).includes(source)) return 0;
  // The same context as any command, with tight limits and a stderr that goes nowhere (a warning
  // about an expiring credential must not land in the middle of the user's command line).
  const quiet = createIO({ stdin: io.stdin, stdout: io.stdout, stderr: new Writable({ write: (_chunk, _enc, done) => done() }), env: { ...io.env, ...QUICK } });
  const ctx = createContext({ ...seed, io: quiet }, { ...globals, debug: false, tokenStdin: false }, commandTree);
  try {
    const found = await within(values(source as ValueSource, prefix, ctx), TIME_LIMIT_MS);
    const lines = found.filter((v) => v.startsWith(prefix));
    if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    // Not awaited past the limit: a request still in flight is dropped with the connection.
    await within(ctx.dispose().then(() => []), 200);
  }
  return 0;
}
