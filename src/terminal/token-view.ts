// How a token looks: table columns for lists, labelled fields for one token, and the record results
// the token commands return. JSON is always the wire token as the server sent it.
import type { Token } from '../api/client.js';
import { compactDuration } from '../shared/durations.js';
import type { Field, ListResult, RecordResult, SecretReveal } from './output.js';

const rateLimit = (t: Token) => (t.rate_limit ? `${t.rate_limit.requests}/${t.rate_limit.per_seconds}s` : null);
/** "37 of 100 left, refills 100/1d". */
const quota = (t: Token) =>
  t.max_uses === null
    ? null
    : `${(t.uses_remaining ?? 0).toLocaleString('en')} of ${t.max_uses.toLocaleString('en')} left${t.refill ? `, refills ${t.refill.amount.toLocaleString('en')}/${compactDuration(t.refill.every)}` : ''}`;

export const TOKEN_COLUMNS: Field<Token>[] = [
  { key: 'id', label: 'ID', value: (t) => t.id },
  { key: 'name', label: 'Name', value: (t) => t.name, flexible: true },
  { key: 'status', label: 'Status', value: (t) => t.status, kind: 'status' },
  { key: 'scopes', label: 'Scopes', value: (t) => t.scopes, flexible: true },
  { key: 'start', label: 'Start', value: (t) => t.start },
  { key: 'expires_at', label: 'Expires', value: (t) => t.expires_at, kind: 'time', empty: 'never' },
  { key: 'last_used_at', label: 'Last used', value: (t) => t.last_used_at, kind: 'time', empty: 'never' },
  // Added later, so last: the columns scripts already cut from the TSV keep their positions.
  { key: 'created_at', label: 'Created', value: (t) => t.created_at, kind: 'time' },
  { key: 'owner', label: 'Owner', value: (t) => t.owner, flexible: true },
];

const TOKEN_FIELDS: Field<Token>[] = [
  { key: 'id', label: 'ID', value: (t) => t.id },
  { key: 'name', label: 'Name', value: (t) => t.name },
  { key: 'description', label: 'Description', value: (t) => t.description },
  { key: 'status', label: 'Status', value: (t) => t.status, kind: 'status' },
  { key: 'scopes', label: 'Scopes', value: (t) => t.scopes },
  { key: 'audiences', label: 'Audiences', value: (t) => t.audiences, empty: 'any' },
  { key: 'allowed_cidrs', label: 'Allowed CIDRs', value: (t) => t.allowed_cidrs, empty: 'any' },
  { key: 'rate_limit', label: 'Rate limit', value: rateLimit, empty: 'none' },
  { key: 'max_uses', label: 'Usage quota', value: quota, empty: 'none' },
  { key: 'metadata', label: 'Metadata', value: (t) => t.metadata },
  { key: 'owner', label: 'Owner', value: (t) => t.owner },
  { key: 'start', label: 'Start', value: (t) => t.start },
  { key: 'created_at', label: 'Created', value: (t) => t.created_at, kind: 'time' },
  { key: 'created_by', label: 'Created by', value: (t) => t.created_by },
  { key: 'expires_at', label: 'Expires', value: (t) => t.expires_at, kind: 'time', empty: 'never' },
  { key: 'last_used_at', label: 'Last used', value: (t) => t.last_used_at, kind: 'time', empty: 'never' },
  { key: 'last_used_ip', label: 'Last used from', value: (t) => t.last_used_ip },
  { key: 'use_count', label: 'Uses', value: (t) => t.use_count },
  { key: 'revoked_at', label: 'Revoked', value: (t) => t.revoked_at, kind: 'time' },
  { key: 'revoked_by', label: 'Revoked by', value: (t) => t.revoked_by },
  { key: 'revoke_reason', label: 'Revoke reason', value: (t) => t.revoke_reason },
  { key: 'rotated_from', label: 'Rotated from', value: (t) => t.rotated_from },
  { key: 'rotated_to', label: 'Rotated to', value: (t) => t.rotated_to },
  { key: 'version', label: 'Version', value: (t) => t.version },
];

/** After a change (create, rotate, revoke…) people want the essentials; `show` has everything. */
const SUMMARY_KEYS = new Set(['id', 'name', 'status', 'scopes', 'start', 'expires_at']);
const TOKEN_SUMMARY_FIELDS: Field<Token>[] = TOKEN_FIELDS.filter((f) => SUMMARY_KEYS.has(f.key));

/** "ci-deploy (tok_…)": how messages name a token. */
export function describeToken(t: Pick<Token, 'id' | 'name'>): string {
  return `${t.name} (${t.id})`;
}

export function tokenList(tokens: Token[], empty = 'No tokens match.'): ListResult<Token> {
  return { type: 'list', items: tokens, columns: TOKEN_COLUMNS, json: (t) => ({ ...t }), id: (t) => t.id, empty };
}

export function tokenRecord(
  token: Token,
  extra: { headline?: string; notes?: string[]; secret?: SecretReveal; json?: Record<string, unknown> } = {},
): RecordResult<Token> {
  return {
    type: 'record',
    item: token,
    fields: extra.headline ? TOKEN_SUMMARY_FIELDS : TOKEN_FIELDS,
    json: { ...token, ...extra.json },
    id: token.id,
    headline: extra.headline,
    notes: extra.notes,
    secret: extra.secret,
  };
}
