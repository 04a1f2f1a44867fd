// `tokens profile list|use|add|remove`: named servers (API URL, the CA to trust) with a default output each.
import { resolve } from 'node:path';
import { defineCommand } from '../cli/define.js';
import { argument, choice, flag, text } from '../cli/options.js';
import { YES } from '../cli/shared-options.js';
import { confirmDestructive } from '../terminal/confirm.js';
import { CliError, EXIT, UsageError } from '../cli/errors.js';
import type { CommandResult, Field, ListResult } from '../terminal/output.js';
import { DEFAULT_PROFILE, OUTPUT_MODES, validateProfileName, type Profile } from '../credentials/profiles.js';
import { checkApiUrl } from '../credentials/target.js';
import { readTrustedCa } from '../api/tls.js';

const profileJson = (p: Profile, current: string | undefined) => ({
  name: p.name,
  api_url: p.api_url,
  output: p.output,
  ca_file: p.ca_file ?? null,
  current: p.name === current,
  credential: p.credential ?? null,
});

const list = defineCommand({
  name: 'list',
  summary: 'List profiles; * marks the current one',
  examples: ['tokens profile list', 'tokens profile list --quiet'],
  async run(_opts, ctx) {
    const store = await ctx.profiles();
    const current = store.current() ?? DEFAULT_PROFILE;
    const columns: Field<Profile>[] = [
      { key: 'current', label: ' ', value: (p) => (p.name === current ? '*' : '') , empty: ' ' },
      { key: 'name', label: 'Name', value: (p) => p.name },
      { key: 'api_url', label: 'API URL', value: (p) => p.api_url, flexible: true },
      { key: 'output', label: 'Output', value: (p) => p.output },
      { key: 'credential', label: 'Logged in as', value: (p) => (p.credential ? `${p.credential.name} (${p.credential.storage})` : null), empty: 'not logged in' },
    ];
    const result: ListResult<Profile> = {
      type: 'list',
      items: store.list(),
      columns,
      json: (p) => profileJson(p, current),
      id: (p) => p.name,
      empty: 'No profiles yet. Add one with: tokens profile add NAME --api-url URL',
    };
    return result;
  },
});

const use = defineCommand({
  name: 'use',
  summary: 'Make a profile the current one',
  arguments: { name: argument('profile name', { completes: 'profiles' }) },
  examples: ['tokens profile use prod'],
  async run(opts, ctx) {
    const name = validateProfileName(opts.name);
    const store = await ctx.profiles();
    const profile = store.get(name);
    if (!profile) throw new CliError(`no profile named "${name}"`, EXIT.notFound, `create it with: tokens profile add ${name} --api-url URL`);
    await store.use(name);
    return { type: 'message', text: `✓ Now using profile ${name} (${profile.api_url})`, json: profileJson(profile, name), id: name } satisfies CommandResult;
  },
});

const add = defineCommand({
  name: 'add',
  summary: 'Add a profile, or change the API URL, output or CA file of an existing one',
  description:
    'The first profile added becomes the current one. Plain http is accepted only for loopback addresses unless --insecure-http is given.\n' +
    'With --ca-file the profile trusts that CA certificate for its server (a private CA); --ca-file "" removes it.',
  arguments: { name: argument('profile name (letters, digits, ".", "_", "-")') },
  options: {
    apiUrl: text('--api-url <url>', 'the server, e.g. https://tokens.example.com'),
    output: choice('--output <format>', OUTPUT_MODES, 'default output when --json is not given (auto = table on a terminal, TSV otherwise)'),
    use: flag('--use', 'make it the current profile'),
  },
  examples: [
    'tokens profile add prod --api-url https://tokens.example.com',
    'tokens profile add ci --api-url https://tokens.internal --output json --use',
    'tokens profile add prod --api-url https://tokens.internal:8787 --ca-file ./internal-ca.pem',
  ],
  async run(opts, ctx) {
    const name = validateProfileName(opts.name);
    const store = await ctx.profiles();
    const existing = store.get(name);
    if (!opts.apiUrl && !existing) throw new UsageError('--api-url is required for a new profile');
    const apiUrl = opts.apiUrl ? checkApiUrl(opts.apiUrl, ctx.globals.insecureHttp, '--api-url') : existing!.api_url;
    // --ca-file (a global flag: it also works for one command) is kept with the profile here, as an absolute path.
    const caFile = ctx.globals.caFile === undefined ? existing?.ca_file : ctx.globals.caFile === '' ? undefined : resolve(ctx.globals.caFile);
    if (caFile && caFile !== existing?.ca_file) readTrustedCa({ file: caFile, source: '--ca-file' });
    const { ca_file: _previous, ...rest } = existing ?? {};
    const profile: Profile = { ...rest, name, api_url: apiUrl, output: opts.output ?? existing?.output ?? 'auto', ...(caFile ? { ca_file: caFile } : {}) };
    await store.save(profile);
    if (opts.use || !store.current()) await store.use(name);
    const current = store.current();
    const verb = existing ? 'Updated' : 'Added';
    const trusting = caFile ? `, trusting the CA in ${caFile}` : '';
    return { type: 'message', text: `✓ ${verb} profile ${name} (${apiUrl}${trusting})${current === name ? ', now the current profile' : ''}`, json: profileJson(profile, current), id: name } satisfies CommandResult;
  },
});

const remove = defineCommand({
  name: 'remove',
  summary: 'Remove a profile and its stored credential',
  arguments: { name: argument('profile name', { completes: 'profiles' }) },
  options: { yes: YES },
  examples: ['tokens profile remove staging', 'tokens profile remove old --yes'],
  async run(opts, ctx) {
    const name = validateProfileName(opts.name);
    const store = await ctx.profiles();
    const profile = store.get(name);
    if (!profile) throw new CliError(`no profile named "${name}"`, EXIT.notFound);
    await confirmDestructive(ctx, {
      action: `remove profile ${name}`,
      changes: [`Remove profile "${name}" (${profile.api_url})${profile.credential ? ` and its stored credential (${profile.credential.name})` : ''}.`],
      question: `Remove profile ${name}?`,
      yes: opts.yes,
    });
    const removed = await (await ctx.credentials()).remove(name);
    if (removed.keychainError) ctx.io.warn(`could not remove a keychain entry: ${removed.keychainError}`);
    await store.remove(name);
    return { type: 'message', text: `✓ Removed profile ${name}`, json: { name, removed: true }, id: name } satisfies CommandResult;
  },
});

export default defineCommand({
  name: 'profile',
  summary: 'List, add, switch and remove profiles (API URL and default output)',
  description:
    'A profile names a server (API URL) and a default output. Select one per command with --profile or\n' +
    'TOKENS_PROFILE; TOKENS_API_URL overrides the URL. The config lives in the user config directory\n' +
    '(TOKENS_CONFIG_DIR moves it) and never holds secrets.',
  examples: ['tokens profile add prod --api-url https://tokens.example.com', 'tokens profile use prod', 'tokens profile list'],
  subcommands: [list, use, add, remove],
});
