// `tokens scan` (README, Secret scanning): leaked secrets in files, directories or standard input,
// found offline by prefix and checksum, then — with a credential — looked up on the server to say
// which are live (POST /v1/tokens/lookup-by-value, which changes nothing), and with --revoke revoked
// through the token-operation engine. A secret is never printed: only its public start and where it is.
import type { LookupByValueResponse } from '../../shared/schemas.js';
import { defineCommand } from '../../cli/define.js';
import type { Context } from '../../cli/define.js';
import { EXIT, UsageError } from '../../cli/errors.js';
import { flag, text, variadic } from '../../cli/options.js';
import { REASON, YES } from '../../cli/shared-options.js';
import { SECRET_PREFIX_PATTERN } from '../../shared/secret.js';
import { MAX_REVOKE_BY_VALUE } from '../../shared/wire-constants.js';
import type { Field, ListResult } from '../../terminal/output.js';
import { revokeLeakedSecrets } from '../token-operation/leaked-secrets.js';
import { findSecrets, readInputs, type FoundSecret } from './find.js';

type Lookup = LookupByValueResponse['results'][number];

interface Finding extends FoundSecret {
  /** What the server said of the secret; null when it was not asked. */
  lookup: Lookup | null;
}

const STDIN = '(stdin)';

/** How people read a finding's state. */
function state(f: Finding): string {
  if (!f.lookup) return 'unchecked';
  if (f.lookup.result !== 'found') return 'not found';
  return f.lookup.live ? 'live' : f.lookup.status!;
}

const COLUMNS: Field<Finding>[] = [
  { key: 'location', label: 'Location', value: (f) => `${f.path}:${f.line}:${f.column}`, flexible: true },
  { key: 'start', label: 'Start', value: (f) => f.start },
  { key: 'state', label: 'State', value: state },
  { key: 'token', label: 'Token', value: (f) => (f.lookup?.id ? `${f.lookup.name} (${f.lookup.id})` : ''), empty: '-' },
];

/** Asks the server about each distinct secret, 1,000 at a time. */
async function lookUp(ctx: Context, secrets: string[]): Promise<Map<string, Lookup>> {
  const api = await ctx.api();
  const answers = new Map<string, Lookup>();
  for (let i = 0; i < secrets.length; i += MAX_REVOKE_BY_VALUE) {
    const batch = secrets.slice(i, i + MAX_REVOKE_BY_VALUE);
    for (const r of (await api.lookupByValue(batch)).results) answers.set(batch[r.index]!, r);
  }
  return answers;
}

export default defineCommand({
  name: 'scan',
  summary: 'Find leaked secrets in files or stdin, say which are live, and --revoke them',
  description:
    'Finds token secrets in files, directory trees (.git and node_modules are skipped unless named) or\n' +
    'standard input, by their shape and checksum, so random strings of the same shape are not reported.\n' +
    'It never prints a secret: only its public start (tkn_AbC123) and file:line:column. With a credential\n' +
    'holding tokens:read, tokens:revoke or tokens:write it asks the server which secrets are live (nothing\n' +
    'changes; --offline skips this). Exit 8 when it found live secrets — or any secret, when it could not\n' +
    'ask — and 0 when not. --revoke revokes the tokens of the live and suspended secrets found, after\n' +
    'showing them and asking (or --yes), with --reason for the audit log.',
  arguments: { path: variadic('files or directories to scan; none or "-" reads standard input', { completes: 'files' }) },
  options: {
    prefix: text('--prefix <prefix>', 'only secrets with this prefix (default: any, checksum checked)'),
    offline: flag('--offline', 'do not ask the server which secrets are live'),
    revoke: flag('--revoke', 'revoke the tokens of the live and suspended secrets found'),
    reason: REASON,
    yes: YES,
  },
  examples: [
    'tokens scan .',
    'tokens scan --offline src config .env',
    'kubectl logs deploy/api | tokens scan',
    'tokens scan ci-logs/ --revoke --reason "printed in a CI log"',
    "tokens scan . --json | jq -r '.data[] | select(.live) | .location'",
  ],
  async run(opts, ctx) {
    if (opts.prefix !== undefined && !SECRET_PREFIX_PATTERN.test(opts.prefix)) {
      throw new UsageError('--prefix must be 2–8 lowercase letters or digits, starting with a letter (the server\'s --secret-prefix)');
    }
    if (!opts.revoke && (opts.reason !== undefined || opts.yes)) throw new UsageError('--reason and --yes go with --revoke');
    if (opts.revoke && opts.offline) throw new UsageError('--revoke needs the server: leave out --offline');
    const paths = opts.path.filter((p) => p !== '-');
    const readsStdin = paths.length < opts.path.length || opts.path.length === 0;
    if (readsStdin) {
      if (ctx.globals.tokenStdin) throw new UsageError('scanning standard input and --token-stdin both read it; give your credential with TOKENS_TOKEN or a login instead');
      if (ctx.io.stdinIsTTY) throw new UsageError('give files or directories to scan, or pipe text in', 'e.g. tokens scan . or git log -p | tokens scan');
    }

    const skipped: string[] = [];
    const found: FoundSecret[] = [];
    if (readsStdin) found.push(...findSecrets(await ctx.io.readStdin(), STDIN, opts.prefix));
    for (const input of readInputs(paths, (path, why) => skipped.push(`${path} (${why})`))) found.push(...findSecrets(input.text, input.path, opts.prefix));
    if (skipped.length) ctx.io.warn(`skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}: ${skipped.join(', ')}`);

    let answers: Map<string, Lookup> | null = null;
    if (!opts.offline && found.length) {
      try {
        answers = await lookUp(ctx, [...new Set(found.map((f) => f.secret))]);
      } catch (err) {
        if (opts.revoke) throw err;
        // The findings still matter without the server: report them unchecked (and exit 8).
        ctx.io.warn(`could not ask the server which secrets are live: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const findings: Finding[] = found.map((f) => ({ ...f, lookup: answers?.get(f.secret) ?? null }));
    const live = findings.filter((f) => f.lookup?.live);

    if (opts.revoke) {
      const targets = new Map<string, Finding>();
      for (const f of findings) if (f.lookup?.status === 'active' || f.lookup?.status === 'suspended') if (!targets.has(f.secret)) targets.set(f.secret, f);
      if (targets.size) {
        const entries = [...targets.values()].map((f) => ({
          label: `${f.path}:${f.line}`,
          json: { path: f.path, line: f.line, column: f.column },
          secret: f.secret,
          start: f.start,
        }));
        return revokeLeakedSecrets(ctx, entries, { reason: opts.reason, yes: opts.yes });
      }
      ctx.io.warn('nothing to revoke: no live or suspended secrets found');
    }

    const distinct = new Set(found.map((f) => f.secret)).size;
    if (found.length) {
      const checked = answers ? `, ${new Set(live.map((f) => f.secret)).size} live` : ' (not checked on the server)';
      ctx.io.warn(`found ${distinct} secret${distinct === 1 ? '' : 's'} in ${found.length} place${found.length === 1 ? '' : 's'}${checked}`);
    }
    const attention = answers ? live.length > 0 : found.length > 0;
    const result: ListResult<Finding> & { exitCode: number } = {
      type: 'list',
      items: findings,
      columns: COLUMNS,
      json: (f) => ({
        location: `${f.path}:${f.line}:${f.column}`,
        path: f.path,
        line: f.line,
        column: f.column,
        start: f.start,
        checked: f.lookup !== null,
        live: f.lookup ? f.lookup.live : null,
        status: f.lookup?.status ?? null,
        id: f.lookup?.id ?? null,
        name: f.lookup?.name ?? null,
      }),
      id: (f) => f.lookup?.id ?? f.start,
      empty: '✓ No secrets found.',
      meta: { summary: { places: found.length, secrets: distinct, checked: answers !== null, live: new Set(live.map((f) => f.secret)).size, skipped_files: skipped.length } },
      exitCode: attention ? EXIT.attention : EXIT.ok,
    };
    return result;
  },
});
