// `tokens check`: tokens that need attention, for people and for a scheduled CI job (exit 8).
import { defineCommand } from '../cli/define.js';
import { duration } from '../cli/options.js';
import type { Token } from '../api/client.js';
import { humanDuration } from '../input/duration.js';
import { EXIT } from '../cli/errors.js';
import type { Field, ListResult } from '../terminal/output.js';
import type { Profile } from '../credentials/profiles.js';

const FINDING_KINDS = ['expiring', 'expired_in_profile', 'unused', 'management_never_expires', 'management_any_address'] as const;
type FindingKind = (typeof FINDING_KINDS)[number];

interface Finding {
  kind: FindingKind;
  id: string;
  name: string;
  status: string;
  /** For people: why it needs attention. */
  detail: string;
  /** The profile that still uses it (expired_in_profile). */
  profile?: string;
}

interface CheckThresholds {
  expiringWithinSeconds: number;
  unusedForSeconds: number;
}

const live = (t: Token) => t.status === 'active' || t.status === 'suspended';
const DAY_MS = 86_400_000;

/**
 * What needs attention among `tokens` (every live token, plus whatever profiles refer to). A token
 * ending in a rotation overlap is left out: its successor has taken over and it ends by design.
 */
export function findIssues(tokens: Token[], profiles: Profile[], now: number, limits: CheckThresholds): Finding[] {
  const byId = new Map(tokens.map((t) => [t.id, t]));
  const superseded = (t: Token) => Boolean(t.rotated_to && !t.rotation_pending && byId.get(t.rotated_to) && live(byId.get(t.rotated_to)!));
  const findings: Finding[] = [];
  const add = (kind: FindingKind, t: Pick<Token, 'id' | 'name' | 'status'>, detail: string, profile?: string) =>
    findings.push({ kind, id: t.id, name: t.name, status: t.status, detail, ...(profile ? { profile } : {}) });

  for (const t of tokens.filter((x) => live(x) && !superseded(x))) {
    const expires = t.expires_at ? Date.parse(t.expires_at) : null;
    if (expires !== null && expires - now <= limits.expiringWithinSeconds * 1000) {
      add('expiring', t, `expires in ${humanDuration(Math.max(0, (expires - now) / 1000))} (${t.expires_at})`);
    }
    const lastSeen = Date.parse(t.last_used_at ?? t.created_at);
    if (now - lastSeen >= limits.unusedForSeconds * 1000) {
      const days = Math.floor((now - lastSeen) / DAY_MS);
      add('unused', t, t.last_used_at ? `last used ${days} days ago (${t.last_used_at})` : `never used; created ${days} days ago`);
    }
    if (t.scopes.includes('management')) {
      if (expires === null) add('management_never_expires', t, 'holds scope management and never expires');
      if (!t.allowed_cidrs.length) add('management_any_address', t, 'holds scope management and may be used from any address (no CIDR restriction)');
    }
  }

  for (const profile of profiles) {
    const stored = profile.credential;
    if (!stored) continue;
    // The server's word when it knows the token; otherwise what login recorded about it.
    const known = byId.get(stored.id);
    const expiresAt = known ? known.expires_at : stored.expires_at;
    const expired = known ? known.status === 'expired' : expiresAt !== null && Date.parse(expiresAt) <= now;
    if (expired) add('expired_in_profile', { id: stored.id, name: stored.name, status: 'expired' }, `expired at ${expiresAt}, still the credential of profile "${profile.name}"`, profile.name);
  }
  return findings;
}

const KIND_LABELS: Record<FindingKind, string> = {
  expiring: 'expiring',
  expired_in_profile: 'expired, in a profile',
  unused: 'unused',
  management_never_expires: 'management, no expiry',
  management_any_address: 'management, any address',
};

const COLUMNS: Field<Finding>[] = [
  { key: 'kind', label: 'Problem', value: (f) => KIND_LABELS[f.kind] },
  { key: 'id', label: 'ID', value: (f) => f.id },
  { key: 'name', label: 'Name', value: (f) => f.name, flexible: true },
  { key: 'status', label: 'Status', value: (f) => f.status, kind: 'status' },
  { key: 'detail', label: 'Detail', value: (f) => f.detail, flexible: true },
];

export default defineCommand({
  name: 'check',
  summary: 'Report tokens that need attention; exit 8 when there are any',
  description:
    'Looks at every live token and reports: tokens expiring within --expiring-within (default 14d); tokens\n' +
    'not used for --unused-for (default 90d; a never-used token counts from its creation); management tokens\n' +
    'that never expire; management tokens usable from any address (no CIDR restriction); and expired tokens a\n' +
    'profile still logs in with. Old tokens ending in a rotation overlap are left out. Exit 8 when it found\n' +
    'anything, 0 when not — so a scheduled CI job can alert on it. Needs tokens:read.',
  examples: ['tokens check', 'tokens check --expiring-within 30d --unused-for 60d', "tokens check --json | jq -r '.data[] | \"\\(.kind) \\(.name)\"'"],
  options: {
    expiringWithin: duration('--expiring-within <duration>', 'report tokens expiring within this long', { default: '14d' }),
    unusedFor: duration('--unused-for <duration>', 'report tokens not used for this long', { default: '90d' }),
  },
  async run(opts, ctx) {
    const limits = { expiringWithinSeconds: opts.expiringWithin, unusedForSeconds: opts.unusedFor };
    const api = await ctx.api();
    const tokens = await api.listTokens({ status: 'active,suspended' as Token['status'] });
    const profiles = (await ctx.profiles()).list();
    // Profiles' credentials may be expired (not listed above): ask the server about those it holds.
    const target = await ctx.target();
    for (const p of profiles) {
      const id = p.credential?.id;
      if (!id || tokens.some((t) => t.id === id) || p.api_url.replace(/\/+$/, '') !== target.apiUrl) continue;
      try {
        tokens.push(await api.getToken(id));
      } catch {
        // Not on this server after all (or gone): what login recorded decides.
      }
    }
    const findings = findIssues(tokens, profiles, ctx.clock(), limits);
    const tokenCount = new Set(findings.map((f) => f.id)).size;
    if (findings.length) ctx.io.warn(`${tokenCount} token${tokenCount === 1 ? ' needs' : 's need'} attention (${findings.length} finding${findings.length === 1 ? '' : 's'})`);
    const result: ListResult<Finding> & { exitCode: number } = {
      type: 'list',
      items: findings,
      columns: COLUMNS,
      json: (f) => ({ ...f }),
      id: (f) => f.id,
      empty: `✓ No tokens need attention (${tokens.length} checked).`,
      meta: { summary: { tokens_checked: tokens.length, tokens_needing_attention: tokenCount, findings: findings.length } },
      exitCode: findings.length ? EXIT.attention : EXIT.ok,
    };
    return result;
  },
});
