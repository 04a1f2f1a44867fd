// Numbered, forward-only migrations for the PostgreSQL store. Never edit one that has shipped.
//
// Choices that keep the semantics identical to the SQLite store:
// - Keys (ids, names, starts, scope names) are COLLATE "C", so ordering and comparison are bytewise.
// - Times are bigint milliseconds since the epoch, as in SQLite.
// - PostgreSQL text cannot hold NUL, but SQLite's can; free text a caller writes (descriptions,
//   reasons, metadata, audiences, audit details) is therefore kept in `json` columns — a JSON string
//   or document stored verbatim — so every JavaScript string round-trips exactly.
// - `scopes` is jsonb (scope names are validated, never hold NUL) so the scope filter can use @>.
export const POSTGRES_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE tokens (
  id text COLLATE "C" PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  description json NOT NULL,
  scopes jsonb NOT NULL,
  audiences json NOT NULL,
  allowed_cidrs json NOT NULL,
  rate_limit json,
  metadata json NOT NULL,
  start text COLLATE "C" NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
  created_at bigint NOT NULL,
  created_by text,
  expires_at bigint,
  last_used_at bigint,
  last_used_ip text,
  use_count bigint NOT NULL DEFAULT 0,
  revoked_at bigint,
  revoked_by text,
  revoke_reason json,
  rotated_from text,
  rotated_to text,
  version integer NOT NULL,
  secret_hash bytea NOT NULL UNIQUE,
  pepper_version integer NOT NULL
);
CREATE INDEX tokens_name ON tokens (name);
CREATE INDEX tokens_start ON tokens (start);
CREATE TABLE audit_events (
  id text COLLATE "C" PRIMARY KEY,
  at bigint NOT NULL,
  actor text COLLATE "C",
  actor_ip text,
  action text COLLATE "C" NOT NULL,
  target text COLLATE "C",
  reason json,
  request_id text,
  details json NOT NULL
);
CREATE INDEX audit_target ON audit_events (target, id);
CREATE INDEX audit_actor ON audit_events (actor, id);
CREATE INDEX audit_action ON audit_events (action, id);
CREATE TABLE scopes (
  name text COLLATE "C" PRIMARY KEY,
  description json NOT NULL,
  created_at bigint NOT NULL,
  created_by text
);
CREATE TABLE idempotency_keys (
  key_hash bytea PRIMARY KEY,
  caller_id text NOT NULL,
  request_hash bytea NOT NULL,
  response_status integer NOT NULL,
  response_body bytea NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);
-- The outbox of the cross-instance change feed: one row per changed token, written in the
-- transaction that changed it, read by every instance in seq order (see postgres-changes.ts).
CREATE TABLE token_changes (
  seq bigserial PRIMARY KEY,
  token_id text NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX token_changes_at ON token_changes (at);
`,
  },
  {
    // As SQLite's migration 2: a rotation started with `pending: true` keeps the predecessor fully
    // valid until it is completed (then this overlap applies) or aborted.
    version: 2,
    sql: 'ALTER TABLE tokens ADD COLUMN pending_overlap_seconds integer',
  },
  {
    // As SQLite's migration 3: usage history per token and hour (rolled up into days later).
    version: 3,
    sql: `
CREATE TABLE usage_counts (
  token_id text COLLATE "C" NOT NULL,
  period text NOT NULL CHECK (period IN ('hour', 'day')),
  start bigint NOT NULL,
  uses bigint NOT NULL DEFAULT 0,
  revoked bigint NOT NULL DEFAULT 0,
  suspended bigint NOT NULL DEFAULT 0,
  expired bigint NOT NULL DEFAULT 0,
  ip bigint NOT NULL DEFAULT 0,
  audience bigint NOT NULL DEFAULT 0,
  scope bigint NOT NULL DEFAULT 0,
  rate_limited bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (token_id, period, start)
);
CREATE INDEX usage_counts_period ON usage_counts (period, start);
CREATE TABLE usage_addresses (
  token_id text COLLATE "C" NOT NULL,
  period text NOT NULL CHECK (period IN ('hour', 'day')),
  start bigint NOT NULL,
  address text COLLATE "C" NOT NULL,
  uses bigint NOT NULL DEFAULT 0,
  refused bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (token_id, period, start, address)
);
CREATE INDEX usage_addresses_period ON usage_addresses (period, start);
`,
  },
  {
    // As SQLite's migration 4: webhooks, their deliveries (the outbox), expiry notices.
    version: 4,
    sql: `
CREATE TABLE webhooks (
  id text COLLATE "C" PRIMARY KEY,
  url json NOT NULL,
  format text NOT NULL CHECK (format IN ('standard', 'slack')),
  events json NOT NULL,
  description json NOT NULL,
  secret_sealed bytea NOT NULL,
  pepper_version integer NOT NULL,
  created_at bigint NOT NULL,
  created_by text
);
CREATE TABLE webhook_deliveries (
  id text COLLATE "C" PRIMARY KEY,
  webhook_id text COLLATE "C" NOT NULL,
  event_type text NOT NULL,
  payload json NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  lease_until bigint,
  last_attempt_at bigint,
  last_status integer,
  last_error json,
  delivered_at bigint
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE TABLE expiry_notices (
  token_id text COLLATE "C" NOT NULL,
  expires_at bigint NOT NULL,
  threshold integer NOT NULL,
  sent_at bigint NOT NULL,
  PRIMARY KEY (token_id, expires_at, threshold)
);
CREATE INDEX tokens_expires_at ON tokens (expires_at);
`,
  },
  {
    // As SQLite's migration 5: console sessions, and an index for "expiring soonest".
    version: 5,
    sql: `
CREATE TABLE console_sessions (
  id_hash bytea PRIMARY KEY,
  token_id text COLLATE "C" NOT NULL,
  scopes json NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  ended_reason text
);
CREATE INDEX console_sessions_token ON console_sessions (token_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
CREATE INDEX tokens_expiry_order ON tokens ((COALESCE(expires_at, 9007199254740991)), id);
`,
  },
  {
    // As SQLite's migration 6: owners, and the listings by owner and by creator.
    version: 6,
    sql: `
ALTER TABLE tokens ADD COLUMN owner text COLLATE "C";
CREATE INDEX tokens_owner ON tokens (owner);
CREATE INDEX tokens_created_by ON tokens (created_by);
`,
  },
  {
    // As SQLite's migration 7: policies.
    version: 7,
    sql: `
CREATE TABLE policies (
  scope text COLLATE "C" PRIMARY KEY,
  max_ttl_seconds bigint,
  require_expiry boolean NOT NULL,
  require_cidr boolean NOT NULL,
  max_rate_limit json,
  require_owner boolean NOT NULL,
  created_at bigint NOT NULL,
  created_by text,
  updated_at bigint NOT NULL,
  updated_by text
);
`,
  },
  {
    // As SQLite's migration 8: usage quotas and their refusals in the usage history.
    version: 8,
    sql: `
ALTER TABLE tokens ADD COLUMN max_uses bigint;
ALTER TABLE tokens ADD COLUMN quota_refill json;
ALTER TABLE tokens ADD COLUMN uses_remaining bigint;
ALTER TABLE tokens ADD COLUMN quota_refilled_at bigint;
ALTER TABLE usage_counts ADD COLUMN usage_exceeded bigint NOT NULL DEFAULT 0;
`,
  },
  {
    // As SQLite's migration 9: leased shares of shared rate limits.
    version: 9,
    sql: `
CREATE TABLE rate_leases (
  id text COLLATE "C" PRIMARY KEY,
  limit_key text COLLATE "C" NOT NULL,
  instance text NOT NULL,
  granted bigint NOT NULL,
  used bigint,
  granted_at bigint NOT NULL,
  ends_at bigint NOT NULL,
  returned_at bigint
);
CREATE INDEX rate_leases_key ON rate_leases (limit_key);
`,
  },
];
