// Builds the context handed to every command's run() (its shape: define.ts). Each provider is made
// on first use. The profile reader, the credential chain and the HTTP client are part of the entry
// bundle (nearly every command needs them, and a separate chunk costs each start a module load);
// conf (only when a profile changes), the keychain helper and @inquirer/prompts are imported on
// first use, never at startup. Tests hand in a seed with fake IO and fake providers.
import { TokensApi } from '../api/client.js';
import { HttpClient } from '../api/http.js';
import { openProfileStore } from '../credentials/profiles.js';
import { resolveTarget } from '../credentials/target.js';
import { Credentials, CredentialFileStore } from '../credentials/credential.js';
import type { CommandDefinition, Context, Providers } from './define.js';
import type { GlobalOptions } from './shared-options.js';
import type { Credential } from '../credentials/credential.js';
import type { IO } from '../terminal/io.js';
import type { ApiTarget } from '../credentials/target.js';
import { expiryWarning } from '../credentials/expiry-warning.js';
import { VERSION } from '../version.js';

export interface ContextSeed {
  io: IO;
  clock?: () => number;
  /** The Node binary that runs helper processes (the keychain helper). */
  nodePath?: string;
  providers?: Partial<Providers>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export function createContext(seed: ContextSeed, globals: GlobalOptions, commandTree: () => Promise<CommandDefinition[]>): Context {
  const { io } = seed;
  const clock = seed.clock ?? Date.now;
  const closers: (() => Promise<void>)[] = [];

  const profiles = seed.providers?.profiles ?? once(async () => openProfileStore(io.env));
  const keychain = seed.providers?.keychain ?? once(async () => (await import('../credentials/keychain.js')).systemKeychain(io.env, seed.nodePath ?? process.execPath));
  const prompter = seed.providers?.prompter ?? once(async () => (await import('../terminal/prompter.js')).inquirerPrompter(io));

  const target = once(async () => resolveTarget(await profiles(), globals, io.env));

  const credentials = once(async () => {
    return new Credentials({ io, tokenStdin: Boolean(globals.tokenStdin), keychain, file: new CredentialFileStore((await profiles()).dir) });
  });

  const credential = once(async () => {
    const t = await target();
    const resolved = await (await credentials()).resolve(t.profile);
    warnIfExpiring(t, resolved);
    return resolved;
  });

  function warnIfExpiring(t: ApiTarget, resolved: Credential): void {
    const stored = t.stored?.credential;
    if (!stored || (resolved.source !== 'keychain' && resolved.source !== 'file')) return;
    const warning = expiryWarning(stored.expires_at, clock(), `the stored credential for profile "${t.profile}" (${stored.name})`);
    if (warning) io.warn(warning);
  }

  async function connect(cred: Credential | null, targetOverride?: ApiTarget): Promise<TokensApi> {
    const t = targetOverride ?? (await target());
    const seconds = Number(io.env.TOKENS_HTTP_TIMEOUT);
    const retries = Number(io.env.TOKENS_HTTP_RETRIES);
    const http = new HttpClient({
      target: t,
      credential: cred,
      userAgent: `tokens-cli/${VERSION}`,
      timeoutMs: seconds > 0 ? seconds * 1000 : undefined,
      connectTimeoutMs: seconds > 0 ? Math.min(seconds * 1000, 10_000) : undefined,
      maxAttempts: Number.isInteger(retries) && retries >= 0 && io.env.TOKENS_HTTP_RETRIES ? retries + 1 : undefined,
      debug: globals.debug ? (line) => io.stderr.write(`${io.err.dim(`debug: ${line}`)}\n`) : undefined,
    });
    closers.push(() => http.close());
    return new TokensApi(http);
  }

  const api = once(async () => connect(await credential()));

  return {
    io,
    clock,
    globals,
    profiles,
    keychain,
    prompter,
    credentials,
    target,
    credential,
    api,
    connect,
    commandTree,
    async dispose() {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
