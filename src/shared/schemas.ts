// Wire schemas, written once: the server validates requests with them, the OpenAPI document is
// generated from them, and the client takes its types from them (type-only imports).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DELIVERY_STATES, MAX_OVERLAP_SECONDS, MAX_REVOKE_BY_VALUE, TOKEN_ID_PATTERN, TOKEN_STATUSES, USAGE_GRANULARITIES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from './wire-constants.js';
import { POLICY_RULES } from './policy-rules.js';

export { MAX_OVERLAP_SECONDS, MAX_REVOKE_BY_VALUE, REFUSAL_REASONS, SCHEMA_VERSION, TOKEN_STATUSES, type RefusalReason, type TokenStatus } from './wire-constants.js';

export const BUILTIN_SCOPES = ['management', 'tokens:read', 'tokens:write', 'tokens:revoke', 'audit:read', 'verify'] as const;
export type BuiltinScope = (typeof BUILTIN_SCOPES)[number];

export const SCOPE_NAME_PATTERN = '^[a-z][a-z0-9_.:-]{0,63}$';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of fixed strings, as a JSON Schema enum: a refusal then names the values allowed. */
const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const Timestamp = Type.String({ description: 'UTC ISO 8601 timestamp', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' });

export const ScopeName = Type.String({ pattern: SCOPE_NAME_PATTERN, maxLength: 64 });
/** One line of text without control characters (names, owners). */
const ONE_LINE = '^[^\\u0000-\\u001f\\u007f]+$';
export const TokenName = Type.String({ minLength: 1, maxLength: 100, pattern: ONE_LINE });
export const Description = Type.String({ maxLength: 1000 });
export const Owner = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: ONE_LINE,
  description: 'who answers for the token: free text such as an e-mail address or a team name',
});
export const Cidr = Type.String({ maxLength: 64, description: 'IPv4 or IPv6 address or CIDR block' });
export const Audience = Type.String({ minLength: 1, maxLength: 200 });
export const RateLimit = Type.Object(
  {
    requests: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    per_seconds: Type.Integer({ minimum: 1, maximum: 86_400 * 31 }),
  },
  { additionalProperties: false },
);
export const MaxUses = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'admitted verifies in all (1: a single-use token)' });
export const QuotaRefill = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
    every: Type.Integer({ minimum: 1, maximum: 366 * 86_400, description: 'seconds' }),
  },
  { additionalProperties: false, description: 'adds `amount` uses every `every` seconds, never above max_uses' },
);
export const Metadata = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }), {
  maxProperties: 32,
  description: 'string → string, at most 32 entries',
});

export const Token = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    scopes: Type.Array(Type.String()),
    audiences: Type.Array(Type.String()),
    allowed_cidrs: Type.Array(Type.String()),
    rate_limit: Nullable(RateLimit),
    max_uses: Nullable(Type.Integer({ description: 'the usage quota (1: single use); null for none' })),
    refill: Nullable(QuotaRefill),
    uses_remaining: Nullable(
      Type.Integer({ description: 'uses left in the store; instances may hold a few more leased (given back within the lease TTL, README "Limits and quotas")' }),
    ),
    metadata: Type.Record(Type.String(), Type.String()),
    owner: Nullable(Type.String()),
    start: Type.String({ description: 'display form: prefix and the first random characters' }),
    status: Type.Union(TOKEN_STATUSES.map((s) => Type.Literal(s))),
    created_at: Timestamp,
    created_by: Nullable(Type.String()),
    expires_at: Nullable(Timestamp),
    last_used_at: Nullable(Timestamp),
    last_used_ip: Nullable(Type.String()),
    use_count: Type.Integer(),
    revoked_at: Nullable(Timestamp),
    revoked_by: Nullable(Type.String()),
    revoke_reason: Nullable(Type.String()),
    rotated_from: Nullable(Type.String()),
    rotated_to: Nullable(Type.String()),
    rotation_pending: Type.Boolean({ description: 'a rotation started with pending=true awaits complete or abort' }),
    version: Type.Integer(),
  },
  { $id: 'Token' },
);
export type Token = Static<typeof Token>;

/**
 * A reference to a named schema, typed as that schema. Schemas that answers share (Token, Scope,
 * AuditEvent) are registered once with the server (app.ts) and referenced, so the OpenAPI document
 * holds each once, under its name.
 */
const Ref = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T>>(Type.Ref(schema.$id!));
export const TokenRef = Ref(Token);

export const TokenWithSecret = Type.Object({
  token: TokenRef,
  secret: Type.String({ description: 'shown exactly once' }),
});
export type TokenWithSecret = Static<typeof TokenWithSecret>;

export const TokenIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

const ExpiresAtInput = Nullable(Timestamp);

export const CreateTokenBody = Type.Object(
  {
    name: TokenName,
    description: Type.Optional(Description),
    scopes: Type.Array(ScopeName, { minItems: 1, maxItems: 64, uniqueItems: true }),
    audiences: Type.Optional(Type.Array(Audience, { maxItems: 64, uniqueItems: true })),
    allowed_cidrs: Type.Optional(Type.Array(Cidr, { maxItems: 64, uniqueItems: true })),
    rate_limit: Type.Optional(Nullable(RateLimit)),
    max_uses: Type.Optional(Nullable(MaxUses)),
    refill: Type.Optional(Nullable(QuotaRefill)),
    metadata: Type.Optional(Metadata),
    owner: Type.Optional(Owner),
    expires_at: Type.Optional(ExpiresAtInput),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const PatchTokenBody = Type.Object(
  {
    name: Type.Optional(TokenName),
    description: Type.Optional(Description),
    expires_at: Type.Optional(ExpiresAtInput),
    allowed_cidrs: Type.Optional(Type.Array(Cidr, { maxItems: 64, uniqueItems: true })),
    audiences: Type.Optional(Type.Array(Audience, { maxItems: 64, uniqueItems: true })),
    rate_limit: Type.Optional(Nullable(RateLimit)),
    max_uses: Type.Optional(Nullable(MaxUses)),
    refill: Type.Optional(Nullable(QuotaRefill)),
    metadata: Type.Optional(Metadata),
    owner: Type.Optional(Nullable(Owner)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchTokenBody = Static<typeof PatchTokenBody>;

const ScopeNameList = Type.Array(ScopeName, { maxItems: 64, uniqueItems: true });
export const ScopesBody = Type.Union([
  Type.Object({ add: Type.Optional(ScopeNameList), remove: Type.Optional(ScopeNameList) }, { additionalProperties: false, minProperties: 1 }),
  Type.Object({ set: Type.Array(ScopeName, { minItems: 1, maxItems: 64, uniqueItems: true }) }, { additionalProperties: false }),
]);
export type ScopesBody = { add?: string[]; remove?: string[]; set?: string[] };

export const RotateBody = Type.Object(
  {
    overlap_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_SECONDS, default: 0 })),
    pending: Type.Optional(
      Type.Boolean({
        description:
          'keep the old token fully valid until POST …/rotate/complete applies the overlap (or …/rotate/abort revokes the successor): deliver the new secret first',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RotateBody = Static<typeof RotateBody>;

export const RotateResponse = Type.Object({
  token: TokenRef,
  secret: Type.String({ description: 'the successor secret, shown exactly once' }),
  predecessor: TokenRef,
});
export type RotateResponse = Static<typeof RotateResponse>;

export const RotationOutcome = Type.Object({
  token: TokenRef,
  successor: TokenRef,
});
export type RotationOutcome = Static<typeof RotationOutcome>;

export const Reason = Type.String({ maxLength: 500 });
export const RevokeBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export type RevokeBody = Static<typeof RevokeBody>;
export const SuspendBody = RevokeBody;

export const RevokeByValueBody = Type.Object(
  {
    secrets: Type.Array(Type.String({ maxLength: 255 }), { minItems: 1, maxItems: MAX_REVOKE_BY_VALUE }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type RevokeByValueBody = Static<typeof RevokeByValueBody>;

export const REVOKE_BY_VALUE_RESULTS = ['revoked', 'already_revoked', 'not_found', 'malformed'] as const;
export const RevokeByValueResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position in the request' }),
      result: Type.Union(REVOKE_BY_VALUE_RESULTS.map((r) => Type.Literal(r))),
      id: Nullable(Type.String()),
      name: Nullable(Type.String()),
      start: Nullable(Type.String()),
    }),
  ),
  revoked: Type.Integer(),
  already_revoked: Type.Integer(),
  not_found: Type.Integer(),
  malformed: Type.Integer(),
});
export type RevokeByValueResponse = Static<typeof RevokeByValueResponse>;

export const LookupByValueBody = Type.Object(
  { secrets: Type.Array(Type.String({ maxLength: 255 }), { minItems: 1, maxItems: MAX_REVOKE_BY_VALUE }) },
  { additionalProperties: false },
);
export type LookupByValueBody = Static<typeof LookupByValueBody>;

export const LOOKUP_BY_VALUE_RESULTS = ['found', 'not_found', 'malformed'] as const;
export const LookupByValueResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position in the request' }),
      result: Type.Union(LOOKUP_BY_VALUE_RESULTS.map((r) => Type.Literal(r)), { description: 'malformed: not a secret of this server (format, prefix or checksum)' }),
      id: Nullable(Type.String()),
      name: Nullable(Type.String()),
      start: Nullable(Type.String()),
      status: Nullable(Type.Union(TOKEN_STATUSES.map((s) => Type.Literal(s)))),
      live: Type.Boolean({ description: 'the secret works now: its token is active (not suspended, expired or revoked)' }),
    }),
  ),
  found: Type.Integer(),
  live: Type.Integer(),
  not_found: Type.Integer(),
  malformed: Type.Integer(),
});
export type LookupByValueResponse = Static<typeof LookupByValueResponse>;

export const TOKEN_SORTS = ['created_at', '-created_at', 'name', '-name', 'expires_at', '-expires_at', 'last_used_at', '-last_used_at'] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];

export const ListTokensQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: `^(${TOKEN_STATUSES.join('|')})(,(${TOKEN_STATUSES.join('|')}))*$`,
        description: 'one status, or several separated by commas (any of them)',
      }),
    ),
    scope: Type.Optional(ScopeName),
    name: Type.Optional(TokenName),
    name_prefix: Type.Optional(Type.String({ maxLength: 100 })),
    start_prefix: Type.Optional(Type.String({ maxLength: 64 })),
    expires_before: Type.Optional(Timestamp),
    unused_since: Type.Optional(Timestamp),
    created_before: Type.Optional(Timestamp),
    sort: Type.Optional(
      Type.Union(TOKEN_SORTS.map((s) => Type.Literal(s)), {
        description: 'created_at (default: oldest first), name, expires_at (never-expiring last) or last_used_at (never-used first); a leading "-" reverses it',
      }),
    ),
    owner: Type.Optional(Type.String({ maxLength: 200, description: 'tokens with exactly this owner' })),
    created_by: Type.Optional(Type.String({ maxLength: 64, description: 'tokens created by this token (its id)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 300, description: 'next_cursor of the previous page, with the same filters and sort' })),
  },
  { additionalProperties: false },
);
export type ListTokensQuery = Static<typeof ListTokensQuery>;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), next_cursor: Nullable(Type.String()) });
export const TokenPage = Page(TokenRef);
export type TokenPage = { data: Token[]; next_cursor: string | null };

export const AuditEvent = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Nullable(Type.String()),
  actor_ip: Nullable(Type.String()),
  action: Type.String(),
  target: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  request_id: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
}, { $id: 'AuditEvent' });
export type AuditEvent = Static<typeof AuditEvent>;
export const AuditPage = Page(Ref(AuditEvent));
export type AuditPage = { data: AuditEvent[]; next_cursor: string | null };

export const ListAuditQuery = Type.Object(
  {
    target: Type.Optional(Type.String({ maxLength: 64 })),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'asc (oldest first, default) or desc (newest first)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ListAuditQuery = Static<typeof ListAuditQuery>;

export const Scope = Type.Object({
  name: Type.String(),
  description: Type.String(),
  builtin: Type.Boolean(),
  created_at: Nullable(Timestamp),
  created_by: Nullable(Type.String()),
}, { $id: 'Scope' });
export type Scope = Static<typeof Scope>;
export const ScopeRef = Ref(Scope);
export const ScopeList = Type.Object({ data: Type.Array(ScopeRef) });
export type ScopeListResponse = { data: Scope[] };
export const CreateScopeBody = Type.Object(
  { name: ScopeName, description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateScopeBody = Static<typeof CreateScopeBody>;
export const ScopeNameParams = Type.Object({ name: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

// Policies (README, Policies): rules per scope, or `*` for every token.
const PolicyScope = Type.Union([Type.Literal('*'), ScopeName], { description: 'a scope, or * for every token' });
const MAX_POLICY_TTL_SECONDS = 10 * 366 * 86_400;
export const PolicyRulesBody = Type.Object(
  {
    max_ttl_seconds: Type.Optional(
      Nullable(Type.Integer({ minimum: 60, maximum: MAX_POLICY_TTL_SECONDS, description: 'the longest a token may live, creation to expiry; implies require_expiry' })),
    ),
    require_expiry: Type.Optional(Type.Boolean({ description: 'tokens must have an expiry' })),
    require_cidr: Type.Optional(Type.Boolean({ description: 'tokens must have at least one allowed CIDR block' })),
    max_rate_limit: Type.Optional(Nullable(RateLimit)),
    require_owner: Type.Optional(Type.Boolean({ description: 'tokens must have an owner' })),
  },
  { additionalProperties: false, description: 'the whole policy: rules left out are off' },
);
export type PolicyRulesBody = Static<typeof PolicyRulesBody>;
export const Policy = Type.Object({
  scope: Type.String({ description: 'a scope, or * for every token' }),
  max_ttl_seconds: Nullable(Type.Integer()),
  require_expiry: Type.Boolean(),
  require_cidr: Type.Boolean(),
  max_rate_limit: Nullable(RateLimit),
  require_owner: Type.Boolean(),
  created_at: Timestamp,
  created_by: Nullable(Type.String()),
  updated_at: Timestamp,
  updated_by: Nullable(Type.String()),
}, { $id: 'Policy' });
export type Policy = Static<typeof Policy>;
export const PolicyRef = Ref(Policy);
export const PolicyList = Type.Object({ data: Type.Array(PolicyRef) });
export type PolicyList = Static<typeof PolicyList>;
export const PolicyScopeParams = Type.Object({ scope: PolicyScope }, { additionalProperties: false });

export const PolicyViolation = Type.Object({
  scope: Type.String({ description: 'the scope of the policy broken, or *' }),
  rule: Type.Union(POLICY_RULES.map((r) => Type.Literal(r))),
  message: Type.String(),
  limit: Type.Optional(Type.Union([Type.Integer({ description: 'max_ttl: seconds' }), RateLimit])),
});

export const Whoami = Type.Object({
  token: TokenRef,
  server: Type.Object({ version: Type.String(), secret_prefix: Type.String() }),
});
export type Whoami = Static<typeof Whoami>;


// Console sessions (README, Console): a token secret is exchanged once for an HttpOnly session cookie.
export const SignInBody = Type.Object(
  { secret: Type.String({ maxLength: 255, description: 'a token secret; checked, never stored or echoed' }) },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const SessionInfo = Type.Object({
  token: Token,
  server: Type.Object({ version: Type.String(), secret_prefix: Type.String() }),
  session: Type.Object({
    expires_at: Timestamp,
    idle_timeout_seconds: Type.Integer({ description: 'the session ends after this long without a request' }),
    csrf_token: Type.String({ description: 'send it as X-CSRF-Token on every request that changes something' }),
  }),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:tokens:problem:<code>' }),
    title: Type.String({ description: "the status's reason phrase" }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: 'one line for people; never a secret' }),
    code: Type.String({ description: 'stable, for programs: e.g. unauthenticated, invalid_request, not_found, name_taken, rate_limited' }),
    request_id: Type.Optional(Type.String({ description: 'the X-Request-Id of the answer' })),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), { description: 'the field at fault, when there is one' })),
    violations: Type.Optional(Type.Array(PolicyViolation, { description: 'code policy_violation: each rule the change would break' })),
  },
  { description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;

/** The named schemas answers refer to (Ref), for the server to register. */
export const SHARED_SCHEMAS = [Token, Scope, AuditEvent, Policy];

// The operations endpoints (no authentication): health, readiness.
const StoreKind = Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]);
export const Health = Type.Object({ status: Type.Literal('ok') }, { description: 'the process is up' });
export const Readiness = Type.Object(
  { status: Type.Literal('ready'), store: StoreKind, schema_version: Type.Integer({ description: 'the last migration applied' }), version: Type.String() },
  { description: 'the store answers' },
);
export const Unreadiness = Type.Object({ status: Type.Literal('unavailable'), store: StoreKind }, { description: 'the store does not answer' });

// The verify path (README, Verify path and gateways): RFC 7662 introspection and forward-auth for gateways.
export const IntrospectBody = Type.Object(
  {
    token: Type.String({ maxLength: 4096, description: 'the secret to check; anything unusable answers {"active": false}' }),
    token_type_hint: Type.Optional(Type.String({ maxLength: 64, description: 'accepted and ignored (RFC 7662)' })),
    scope: Type.Optional(Type.String({ maxLength: 4096, description: 'space-separated scopes the token must all hold' })),
    audience: Type.Optional(Type.String({ maxLength: 200, description: 'the service asking; must be one of the token audiences unless it has none' })),
    ip: Type.Optional(Type.String({ maxLength: 64, description: "the client's address for the token's CIDR allowlist (default: this request's)" })),
    client_id: Type.Optional(Type.String({ maxLength: 255, description: 'client_secret_post (RFC 6749 §2.3.1): any client id' })),
    client_secret: Type.Optional(
      Type.String({ maxLength: 4096, description: "client_secret_post: the caller's own token with scope verify, instead of the Authorization header" }),
    ),
  },
  { description: 'form (application/x-www-form-urlencoded) or JSON' },
);
export type IntrospectBody = Static<typeof IntrospectBody>;

export const IntrospectResponse = Type.Object(
  {
    active: Type.Boolean(),
    scope: Type.Optional(Type.String({ description: "the token's scopes, space-separated" })),
    client_id: Type.Optional(Type.String({ description: 'the token id' })),
    sub: Type.Optional(Type.String({ description: 'the token id, for gateways that map the subject claim to a user' })),
    username: Type.Optional(Type.String({ description: 'the token name' })),
    exp: Type.Optional(Type.Integer({ description: 'expiry (or end of a rotation overlap), seconds since the epoch; absent when it never expires' })),
    iat: Type.Optional(Type.Integer({ description: 'creation, seconds since the epoch' })),
    aud: Type.Optional(Type.Array(Type.String(), { description: 'absent when the token is valid for any audience' })),
    token_type: Type.Optional(Type.Literal('Bearer')),
    reason: Type.Optional(
      OneOf(['rate_limited', 'usage_exceeded'] as const, { description: 'only when an otherwise usable token is over its rate limit, or has used up its usage quota' }),
    ),
  },
  { description: 'RFC 7662: {"active": false} and nothing more for anything unusable' },
);
export type IntrospectResponse = Static<typeof IntrospectResponse>;

export const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'invalid_token', 'unauthorized_client', 'insufficient_scope', 'temporarily_unavailable', 'server_error'] as const;
export const OAuthError = Type.Object(
  {
    error: Type.Union(OAUTH_ERRORS.map((e) => Type.Literal(e)), {
      description:
        'RFC 6749 §5.2 / RFC 6750 §3.1: invalid_request (400), invalid_client (401, client_secret_basic/post or no credentials), ' +
        'invalid_token (401, Bearer), unauthorized_client (403, client credentials without scope verify), insufficient_scope (403, Bearer), ' +
        'temporarily_unavailable (429, 503), server_error (500)',
    }),
    error_description: Type.String(),
    ...Problem.properties,
  },
  { description: 'the introspection endpoint\'s errors: OAuth members beside the problem+json ones, served as application/json' },
);

export const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String({ description: 'the server\'s public URL (tokens server --public-url, else the request\'s scheme and host)' }),
    introspection_endpoint: Type.String(),
    introspection_endpoint_auth_methods_supported: Type.Array(Type.String()),
    response_types_supported: Type.Array(Type.String(), { description: 'none: this server issues no tokens through OAuth flows' }),
  },
  { description: 'RFC 8414 authorization server metadata: where RFC 7662 clients introspect, and how they authenticate' },
);

export const ForwardAuthQuery = Type.Object({
  scope: Type.Optional(
    Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64, description: 'scopes the route needs (space- or comma-separated, or repeated); else the X-Required-Scope header' }),
  ),
  audience: Type.Optional(Type.String({ maxLength: 200, description: 'the protected service; else the X-Required-Audience header' })),
});
export type ForwardAuthQuery = Static<typeof ForwardAuthQuery>;

// Usage history (README "Usage history").
const Count = Type.Integer({ minimum: 0 });
export const Refusals = Type.Object(
  {
    revoked: Count,
    suspended: Count,
    expired: Count,
    ip: Count,
    audience: Count,
    scope: Count,
    rate_limited: Count,
    usage_exceeded: Count,
  },
  { description: 'verify calls that found this token and refused it, by reason' },
);

export const UsageBucket = Type.Object({
  start: Timestamp,
  uses: Type.Integer({ description: 'admitted calls: verifies that admitted the token, and management calls it authenticated' }),
  refused: Type.Integer({ description: 'the sum of refusals' }),
  refusals: Refusals,
});
export type UsageBucket = Static<typeof UsageBucket>;

export const UsageGranularity = Type.Union(USAGE_GRANULARITIES.map((g) => Type.Literal(g)));

export const TokenUsageQuery = Type.Object(
  {
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    granularity: Type.Optional(
      Type.Union(USAGE_GRANULARITIES.map((g) => Type.Literal(g)), { description: 'default: hour for spans up to 3 days within the hourly retention, else day' }),
    ),
  },
  { additionalProperties: false },
);
export type TokenUsageQuery = Static<typeof TokenUsageQuery>;

export const TokenUsage = Type.Object({
  id: Type.String({ description: 'the token id' }),
  name: Type.String(),
  quota: Type.Optional(
    Type.Object(
      { max_uses: Type.Integer(), uses_remaining: Type.Integer(), refill: Nullable(QuotaRefill) },
      { description: 'present when the token has a usage quota: what is left of it now' },
    ),
  ),
  granularity: UsageGranularity,
  since: Timestamp,
  until: Timestamp,
  totals: Type.Object({ uses: Type.Integer(), refused: Type.Integer(), refusals: Refusals }),
  buckets: Type.Array(UsageBucket, { description: 'every hour or day from since to until, oldest first, empty ones included' }),
  addresses: Type.Array(Type.Object({ address: Type.String(), uses: Type.Integer(), refused: Type.Integer() }), {
    description: 'the most frequent client addresses in the span, most calls first',
  }),
});
export type TokenUsage = Static<typeof TokenUsage>;

export const UsageRankingQuery = Type.Object(
  {
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type UsageRankingQuery = Static<typeof UsageRankingQuery>;

export const UsageRank = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  status: Nullable(Type.Union(TOKEN_STATUSES.map((s) => Type.Literal(s)))),
  uses: Type.Integer(),
  refused: Type.Integer(),
  refusals: Refusals,
});
export type UsageRank = Static<typeof UsageRank>;

export const UsageRanking = Type.Object({
  since: Timestamp,
  until: Timestamp,
  most_used: Type.Array(UsageRank),
  most_refused: Type.Array(UsageRank),
});
export type UsageRanking = Static<typeof UsageRanking>;

// Webhooks (README "Webhooks").
const WebhookEventType = Type.Union(WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e)));
const WebhookFormat = Type.Union(WEBHOOK_FORMATS.map((f) => Type.Literal(f)), {
  description: 'standard: the JSON event, signed per Standard Webhooks; slack: {"text": …} for a Slack incoming webhook',
});

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL; must resolve to a public address unless the server runs with --allow-private-webhooks' }),
    events: Type.Array(WebhookEventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
    format: Type.Optional(WebhookFormat),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  format: WebhookFormat,
  events: Type.Array(WebhookEventType),
  description: Type.String(),
  created_at: Timestamp,
  created_by: Nullable(Type.String()),
});
export type Webhook = Static<typeof Webhook>;

export const WebhookWithSecret = Type.Object({
  webhook: Webhook,
  secret: Type.String({ description: 'the signing secret (whsec_…), shown exactly once' }),
});
export type WebhookWithSecret = Static<typeof WebhookWithSecret>;

// Backup and restore (README, Backup and restore): GET /v1/export writes this document and
// POST /v1/import reads it back, so one schema describes both and validates every field of a file
// before anything of it is written.
export const EXPORT_SCHEMA_VERSIONS = [1, 2] as const;
const MaybeTimestamp = Nullable(Timestamp);
/** Another token named by its id (kept as it was, whether or not that token is in the file). */
const TokenIdRef = Nullable(Type.String({ maxLength: 64 }));
export const SecretDigest = Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'HMAC-SHA-256 of the secret under the pepper, base64' });
export const ExportedToken = Type.Object(
  {
    id: Type.String({ pattern: TOKEN_ID_PATTERN }),
    name: TokenName,
    description: Description,
    scopes: Type.Array(ScopeName, { minItems: 1, maxItems: 64, uniqueItems: true }),
    audiences: Type.Array(Audience, { maxItems: 64, uniqueItems: true }),
    allowed_cidrs: Type.Array(Cidr, { maxItems: 64, uniqueItems: true }),
    rate_limit: Nullable(RateLimit),
    max_uses: Type.Optional(Nullable(MaxUses)),
    refill: Type.Optional(Nullable(QuotaRefill)),
    uses_remaining: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }))),
    metadata: Metadata,
    owner: Type.Optional(Nullable(Owner)),
    start: Type.String({ minLength: 1, maxLength: 64 }),
    status: OneOf(TOKEN_STATUSES),
    created_at: Timestamp,
    created_by: TokenIdRef,
    expires_at: MaybeTimestamp,
    last_used_at: MaybeTimestamp,
    last_used_ip: Nullable(Type.String({ maxLength: 64 })),
    use_count: Type.Integer({ minimum: 0 }),
    revoked_at: MaybeTimestamp,
    revoked_by: TokenIdRef,
    revoke_reason: Nullable(Reason),
    rotated_from: TokenIdRef,
    rotated_to: TokenIdRef,
    rotation_pending: Type.Boolean(),
    version: Type.Integer({ minimum: 1 }),
    restore: Type.Optional(
      Type.Object(
        {
          status: OneOf(['active', 'suspended', 'revoked'] as const, { description: 'the stored status (an expired token is active or suspended)' }),
          pending_overlap_seconds: Nullable(Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_SECONDS })),
          secret_hash: Type.Optional(SecretDigest),
          pepper_version: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false, description: 'what only a restore needs; the secret digest only with include_hashes' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ExportedToken = Static<typeof ExportedToken>;
const ExportedScope = Type.Object(
  { name: ScopeName, description: Description, builtin: Type.Boolean(), created_at: MaybeTimestamp, created_by: TokenIdRef },
  { additionalProperties: false },
);
export const ExportedPolicy = Type.Object(
  {
    scope: PolicyScope,
    ...PolicyRulesBody.properties,
    created_at: Timestamp,
    created_by: TokenIdRef,
    updated_at: Timestamp,
    updated_by: TokenIdRef,
  },
  { additionalProperties: false },
);
const ExportedWebhook = Type.Object(
  {
    id: Type.String({ pattern: '^whk_[0-9a-hjkmnp-tv-z]{26}$' }),
    url: CreateWebhookBody.properties.url,
    format: WebhookFormat,
    events: CreateWebhookBody.properties.events,
    description: Description,
    created_at: Timestamp,
    created_by: TokenIdRef,
  },
  { additionalProperties: false, description: 'a webhook without its signing secret (an import gives it a new one)' },
);
export const Export = Type.Object(
  {
    schema_version: Type.Integer({ description: `the format: ${EXPORT_SCHEMA_VERSIONS.join(' or ')} (this server writes ${EXPORT_SCHEMA_VERSIONS.at(-1)})` }),
    exported_at: Timestamp,
    server: Type.Optional(Type.Object({ version: Type.String({ maxLength: 64 }), secret_prefix: Type.String({ maxLength: 16 }) }, { additionalProperties: false })),
    include_hashes: Type.Optional(Type.Boolean({ description: 'whether tokens carry restore.secret_hash (then their secrets work again after an import)' })),
    peppers: Type.Optional(
      Type.Array(
        Type.Object(
          { version: Type.Integer({ minimum: 0 }), check: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'tells the same pepper from another under this version; reveals nothing of it' }) },
          { additionalProperties: false },
        ),
        { description: 'the pepper versions the digests were made with (include_hashes)' },
      ),
    ),
    tokens: Type.Array(ExportedToken),
    scopes: Type.Array(ExportedScope),
    policies: Type.Optional(Type.Array(ExportedPolicy)),
    webhooks: Type.Optional(Type.Array(ExportedWebhook)),
  },
  { additionalProperties: false },
);
export type Export = Static<typeof Export>;
export const ExportQuery = Type.Object(
  { include_hashes: Type.Optional(Type.Boolean({ description: 'add every token secret digest and its pepper version (audited)' })) },
  { additionalProperties: false },
);
export const ImportQuery = Type.Object(
  { dry_run: Type.Optional(Type.Boolean({ description: 'report what would happen and change nothing' })) },
  { additionalProperties: false },
);
export const IMPORT_RESULTS = ['created', 'updated', 'skipped', 'refused'] as const;
export const ImportReport = Type.Object({
  dry_run: Type.Boolean(),
  include_hashes: Type.Boolean(),
  summary: Type.Object({ created: Type.Integer(), updated: Type.Integer(), skipped: Type.Integer(), refused: Type.Integer() }),
  results: Type.Array(
    Type.Object({
      kind: Type.Union(['token', 'scope', 'policy', 'webhook'].map((k) => Type.Literal(k))),
      id: Type.String({ description: 'token id, scope name, or policy scope' }),
      name: Nullable(Type.String()),
      result: Type.Union(IMPORT_RESULTS.map((r) => Type.Literal(r))),
      detail: Type.String(),
      secret: Type.Optional(Type.String({ description: "a restored webhook's new signing secret (whsec_…), shown exactly once" })),
    }),
  ),
  notice: Nullable(Type.String({ description: 'set when restored tokens have no working secret (a file without hashes)' })),
});
export type ImportReport = Static<typeof ImportReport>;

export const WebhookList = Type.Object({ data: Type.Array(Webhook) });
export type WebhookList = Static<typeof WebhookList>;

export const WebhookIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

const DeliveryState = Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s)));

export const Delivery = Type.Object({
  id: Type.String({ description: 'the message id, sent as webhook-id (the same on every attempt)' }),
  webhook_id: Type.String(),
  event: Type.String({ description: 'the event type, or webhook.test' }),
  state: DeliveryState,
  attempts: Type.Integer(),
  created_at: Timestamp,
  next_attempt_at: Nullable(Timestamp),
  last_attempt_at: Nullable(Timestamp),
  last_status: Nullable(Type.Integer({ description: "the receiver's HTTP status at the last attempt" })),
  last_error: Nullable(Type.String()),
  delivered_at: Nullable(Timestamp),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'the event as sent in the standard format: type, timestamp, data' }),
});
export type Delivery = Static<typeof Delivery>;
export const DeliveryPage = Page(Delivery);
export type DeliveryPage = { data: Delivery[]; next_cursor: string | null };

export const ListDeliveriesQuery = Type.Object(
  {
    state: Type.Optional(DeliveryState),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ListDeliveriesQuery = Static<typeof ListDeliveriesQuery>;
