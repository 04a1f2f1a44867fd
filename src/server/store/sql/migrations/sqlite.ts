// Numbered, forward-only migrations for the embedded store. Never edit one that has shipped.
export const SQLITE_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  scopes TEXT NOT NULL,
  audiences TEXT NOT NULL,
  allowed_cidrs TEXT NOT NULL,
  rate_limit TEXT,
  metadata TEXT NOT NULL,
  start TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
  created_at INTEGER NOT NULL,
  created_by TEXT,
  expires_at INTEGER,
  last_used_at INTEGER,
  last_used_ip TEXT,
  use_count INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER,
  revoked_by TEXT,
  revoke_reason TEXT,
  rotated_from TEXT,
  rotated_to TEXT,
  version INTEGER NOT NULL,
  secret_hash BLOB NOT NULL UNIQUE,
  pepper_version INTEGER NOT NULL
);
CREATE INDEX tokens_name ON tokens (name);
CREATE INDEX tokens_start ON tokens (start);
CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT,
  actor_ip TEXT,
  action TEXT NOT NULL,
  target TEXT,
  reason TEXT,
  request_id TEXT,
  details TEXT NOT NULL
);
CREATE INDEX audit_target ON audit_events (target, id);
CREATE INDEX audit_actor ON audit_events (actor, id);
CREATE INDEX audit_action ON audit_events (action, id);
CREATE TABLE scopes (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by TEXT
);
CREATE TABLE idempotency_keys (
  key_hash BLOB PRIMARY KEY,
  caller_id TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  response_status INTEGER NOT NULL,
  response_body BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);
`,
  },
  {
    // A rotation started with `pending: true` keeps the predecessor fully valid until it is
    // completed (then the overlap applies) or aborted (then the successor is revoked).
    version: 2,
    sql: 'ALTER TABLE tokens ADD COLUMN pending_overlap_seconds INTEGER',
  },
  {
    // Usage history (README "Usage history"): per token and hour (rolled up into days later), the
    // admitted calls and the refusals by reason, and the client addresses they came from. Only
    // tokens with traffic get rows.
    version: 3,
    sql: `
CREATE TABLE usage_counts (
  token_id TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  start INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0,
  expired INTEGER NOT NULL DEFAULT 0,
  ip INTEGER NOT NULL DEFAULT 0,
  audience INTEGER NOT NULL DEFAULT 0,
  scope INTEGER NOT NULL DEFAULT 0,
  rate_limited INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (token_id, period, start)
);
CREATE INDEX usage_counts_period ON usage_counts (period, start);
CREATE TABLE usage_addresses (
  token_id TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  start INTEGER NOT NULL,
  address TEXT NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (token_id, period, start, address)
);
CREATE INDEX usage_addresses_period ON usage_addresses (period, start);
`,
  },
  {
    // Webhooks (README "Webhooks"): the webhooks with their sealed signing secrets, the outbox of
    // deliveries written in the transaction of the change they announce, and the expiry notices sent.
    version: 4,
    sql: `
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('standard', 'slack')),
  events TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  secret_sealed BLOB NOT NULL,
  pepper_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT
);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE TABLE expiry_notices (
  token_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  threshold INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (token_id, expires_at, threshold)
);
CREATE INDEX tokens_expires_at ON tokens (expires_at);
`,
  },
  {
    // Console sessions (only the SHA-256 of the cookie's id), and an index for "expiring soonest".
    version: 5,
    sql: `
CREATE TABLE console_sessions (
  id_hash BLOB PRIMARY KEY,
  token_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_reason TEXT
);
CREATE INDEX console_sessions_token ON console_sessions (token_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
CREATE INDEX tokens_expiry_order ON tokens (COALESCE(expires_at, 9007199254740991), id);
`,
  },
  {
    // Owners (who answers for a token), and the listings by owner and by creator that offboarding
    // and incident response run.
    version: 6,
    sql: `
ALTER TABLE tokens ADD COLUMN owner TEXT;
CREATE INDEX tokens_owner ON tokens (owner);
CREATE INDEX tokens_created_by ON tokens (created_by);
`,
  },
  {
    // Policies: the rules kept for the tokens holding a scope (`*`: every token).
    version: 7,
    sql: `
CREATE TABLE policies (
  scope TEXT PRIMARY KEY,
  max_ttl_seconds INTEGER,
  require_expiry INTEGER NOT NULL,
  require_cidr INTEGER NOT NULL,
  max_rate_limit TEXT,
  require_owner INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  updated_at INTEGER NOT NULL,
  updated_by TEXT
);
`,
  },
  {
    // Usage quotas: max_uses (1: single use) with an optional refill, and the store's count of uses
    // left, which only the quota statements write (see SqlQueries.takeUses); refusals for an
    // exhausted quota in the usage history.
    version: 8,
    sql: `
ALTER TABLE tokens ADD COLUMN max_uses INTEGER;
ALTER TABLE tokens ADD COLUMN quota_refill TEXT;
ALTER TABLE tokens ADD COLUMN uses_remaining INTEGER;
ALTER TABLE tokens ADD COLUMN quota_refilled_at INTEGER;
ALTER TABLE usage_counts ADD COLUMN usage_exceeded INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    // Shared rate limits (README "Limits and quotas"): the shares of a token's budget that instances
    // lease and give back. Kept on both stores; only instances sharing PostgreSQL use it.
    version: 9,
    sql: `
CREATE TABLE rate_leases (
  id TEXT PRIMARY KEY,
  limit_key TEXT NOT NULL,
  instance TEXT NOT NULL,
  granted INTEGER NOT NULL,
  used INTEGER,
  granted_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  returned_at INTEGER
);
CREATE INDEX rate_leases_key ON rate_leases (limit_key);
`,
  },
];
