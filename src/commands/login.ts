// `tokens login`: check a secret against the server, then keep it in the OS keychain (or, opted in,
// a 0600 file). `--status` shows which credential is in use instead.
import { resolve } from 'node:path';
import { defineCommand } from '../cli/define.js';
import { flag, text } from '../cli/options.js';
import { checkSecretShape, type Credential } from '../credentials/credential.js';
import { ApiProblemError, CliError, EXIT, UsageError } from '../cli/errors.js';
import { expiryWarning } from '../credentials/expiry-warning.js';
import type { Field, RecordResult } from '../terminal/output.js';
import { currentSession } from '../credentials/session.js';
import { checkApiUrl, resolveTarget } from '../credentials/target.js';
import type { Whoami } from '../api/client.js';

interface LoginResult {
  profile: string;
  apiUrl: string;
  storage: 'keychain' | 'file';
  whoami: Whoami;
}

const FIELDS: Field<LoginResult>[] = [
  { key: 'profile', label: 'Profile', value: (r) => r.profile },
  { key: 'api_url', label: 'API URL', value: (r) => r.apiUrl },
  { key: 'storage', label: 'Stored in', value: (r) => (r.storage === 'keychain' ? 'the OS keychain' : 'a 0600 file (--insecure-storage)') },
  { key: 'id', label: 'Token', value: (r) => r.whoami.token.id },
  { key: 'name', label: 'Name', value: (r) => r.whoami.token.name },
  { key: 'scopes', label: 'Scopes', value: (r) => r.whoami.token.scopes },
  { key: 'expires_at', label: 'Expires', value: (r) => r.whoami.token.expires_at, kind: 'time', empty: 'never' },
];

export default defineCommand({
  name: 'login',
  summary: 'Store your credential for a profile (OS keychain), after checking it with the server',
  description:
    'Reads your token secret from a hidden prompt, or from standard input with --token-stdin (never from the\n' +
    'command line), checks it against the server (GET /v1/whoami) and stores it in the OS keychain under\n' +
    'service "tokens", account = the profile name. Where no keychain is available, --insecure-storage keeps it\n' +
    'in a 0600 file instead. With --api-url the profile is created or pointed at that server.\n\n' +
    'Credential precedence for every command: --token-stdin > TOKENS_TOKEN > keychain > file.',
  examples: [
    'tokens login',
    'tokens login --token-stdin < ./bootstrap-token',
    'tokens login --profile prod --api-url https://tokens.example.com --token-stdin < prod-token',
    'tokens login --status',
  ],
  options: {
    apiUrl: text('--api-url <url>', 'server of this profile (creates the profile if needed)'),
    insecureStorage: flag('--insecure-storage', 'keep the secret in a 0600 file instead of the OS keychain'),
    status: flag('--status', 'show which credential is in use and whom it belongs to'),
  },
  async run(opts, ctx) {
    if (opts.status) return currentSession(ctx);
    const { io, globals } = ctx;
    const store = await ctx.profiles();
    const resolved = resolveTarget(store, globals, io.env, { allowMissingProfile: true });
    const target = opts.apiUrl ? { ...resolved, apiUrl: checkApiUrl(opts.apiUrl, globals.insecureHttp, '--api-url'), urlSource: 'profile' as const } : resolved;

    const credentials = await ctx.credentials();
    let secret: string;
    if (globals.tokenStdin) secret = await credentials.fromStdin();
    else if (io.canPrompt()) secret = checkSecretShape(await (await ctx.prompter()).secret({ message: `Paste the token secret for profile "${target.profile}" (${target.apiUrl}):` }), 'the secret');
    else throw new UsageError('no terminal to ask for the secret on', `pipe it in: tokens login --token-stdin < FILE`);
    const credential: Credential = { secret, source: globals.tokenStdin ? 'token-stdin' : 'keychain', origin: 'the secret being logged in' };

    let whoami: Whoami;
    try {
      whoami = await (await ctx.connect(credential, target)).whoami();
    } catch (err) {
      if (err instanceof ApiProblemError && err.status === 401) throw new CliError(`the server at ${target.apiUrl} did not accept this secret: ${err.message.replace(/^authentication failed: /, '')}`, EXIT.auth, 'check that it is the whole secret and not revoked or expired');
      throw err;
    }

    const storage = await credentials.save(target.profile, secret, opts.insecureStorage);
    const existing = store.get(target.profile);
    // Pointing the profile at a server (--api-url, or a new profile) keeps the CA this login trusted with it.
    const pointing = Boolean(opts.apiUrl) || !existing;
    const caFile = pointing && globals.caFile ? resolve(globals.caFile) : existing?.ca_file;
    await store.save({
      name: target.profile,
      api_url: pointing ? target.apiUrl : existing!.api_url,
      output: existing?.output ?? 'auto',
      ...(caFile ? { ca_file: caFile } : {}),
      credential: { id: whoami.token.id, name: whoami.token.name, expires_at: whoami.token.expires_at, storage },
    });
    if (!store.current()) await store.use(target.profile);

    if (io.env.TOKENS_TOKEN) io.warn('TOKENS_TOKEN is set in this environment and takes precedence over the stored credential');
    const warning = expiryWarning(whoami.token.expires_at, ctx.clock(), `this credential (${whoami.token.name})`);
    if (warning) io.warn(warning);
    const result: RecordResult<LoginResult> = {
      type: 'record',
      item: { profile: target.profile, apiUrl: target.apiUrl, storage, whoami },
      fields: FIELDS,
      id: whoami.token.id,
      headline: `✓ Logged in to ${target.apiUrl} as ${whoami.token.name} (${whoami.token.id})`,
      json: { ...whoami.token, profile: target.profile, api_url: target.apiUrl, storage },
    };
    return result;
  },
});
