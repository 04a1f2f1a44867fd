// The shared store: the SQL core (./sql/) on PostgreSQL, for several stateless server instances using
// one database (README "PostgreSQL"). Transactions run at READ COMMITTED on one pooled client; where
// the core checks something and then writes on the strength of it, it takes a transaction-scoped
// advisory lock (SqlSession.lock) or locks the rows it read, and changed tokens are announced to the
// other instances at commit (./postgres-changes.ts).
import pg from 'pg';
import { TransactionSession, type Codec, type Dialect, type Row, type SqlConnection, type SqlSession } from './sql/driver.js';
import type { MigrationConnection } from './sql/migrate.js';
import { POSTGRES_MIGRATIONS } from './sql/migrations/postgres.js';
import { SqlStore } from './sql/store.js';
import { classify, sleep, storeError, type Failure } from './postgres-errors.js';
import { ChangeFeed, DEFAULT_CHANGE_FEED_OPTIONS, publishTokenChanges, type ChangeFeedOptions } from './postgres-changes.js';
import type { ChangeHandlers, Store } from './types.js';

const INT8_OID = 20;

/** bigint columns hold epoch milliseconds and counters: numbers, refused rather than rounded if unsafe. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${text} does not fit a JavaScript number`);
  return n;
}

const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

const asIs: Codec = { encode: (v) => v, decode: (v) => v };
/** Written as JSON text; the driver parses json and jsonb columns on the way back. */
const json: Codec = { encode: (v) => JSON.stringify(v), decode: (v) => v };

/**
 * PostgreSQL text cannot hold NUL, so free text is kept in json columns too (a JSON string, stored
 * verbatim), and every JavaScript string round-trips exactly. `scopes` is jsonb so that the scope
 * filter can use @>. The column types are in ./sql/migrations/postgres.ts.
 */
const POSTGRES: Dialect = {
  codecs: { text: asIs, freeText: json, json, integer: asIs, boolean: asIs, time: asIs, bytes: asIs },
  scopeHeld: (placeholder) => `scopes @> jsonb_build_array(${placeholder}::text)`,
  rowLocks: true,
  skipLocked: ' FOR UPDATE SKIP LOCKED',
};

/** The core writes `?`; PostgreSQL numbers its parameters. The core's SQL has no other `?`. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A statement that only reads, run outside a transaction: safe to run again on a new connection. */
const READ_ONLY = /^\s*SELECT\b/i;

/**
 * Statements on a pool (each on any free client) or on one client. Inside a transaction `lock`
 * takes an advisory lock held until it ends; outside one there is nothing to hold it for. On the
 * pool, a read whose connection was lost is run again on another; anything else that fails for
 * want of the database throws StoreUnavailableError.
 */
function connection(db: pg.Pool | pg.ClientBase, inTransaction: boolean): SqlConnection {
  const query = async <R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.query<R>(sql, params as unknown[]);
      } catch (err) {
        if (!inTransaction && READ_ONLY.test(sql) && classify(err) === 'lost' && attempt < MAX_ATTEMPTS) {
          await sleep(backoff(attempt));
          continue;
        }
        // In a transaction the error goes up as it is, for the transaction to judge. An autocommit
        // write that lost its connection may have committed before it did.
        throw inTransaction ? err : storeError(err, !READ_ONLY.test(sql));
      }
    }
  };
  return {
    all: async (sql, params) => (await query<Row>(numbered(sql), params)).rows,
    run: async (sql, params) => (await query(numbered(sql), params)).rowCount ?? 0,
    exec: async (script) => void (await query(script)),
    lock: async (key, shared) => {
      if (inTransaction) await query(`SELECT pg_advisory_xact_lock${shared ? '_shared' : ''}(hashtextextended($1, 0))`, [`tokens:${key}`]);
    },
  };
}

/**
 * How a transaction ended. When its COMMIT was sent but not answered, `sent` holds what the body
 * returned and the transaction's xid, for looking up how it ended.
 */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; failure: Failure; sent: { value: T; xid: string } | null };

/**
 * One transaction on `client`; changed tokens are announced in it, just before COMMIT. Its xid is
 * read at BEGIN so that a COMMIT left unanswered by a dying connection can be looked up afterwards.
 */
async function transactionOn<T>(client: pg.ClientBase, fn: (session: SqlSession) => Promise<T>): Promise<Outcome<T>> {
  const session = new TransactionSession(connection(client, true));
  let sent: { value: T; xid: string } | null = null;
  try {
    const [, started] = (await client.query('BEGIN; SELECT txid_current()::text AS xid')) as unknown as pg.QueryResult<{ xid: string }>[];
    const xid = started!.rows[0]!.xid;
    const value = await fn(session);
    if (session.changedTokens.size) await publishTokenChanges(client, [...session.changedTokens]);
    sent = { value, xid };
    await client.query('COMMIT');
    return { ok: true, value };
  } catch (error) {
    const failure = classify(error);
    // On a lost or stalled connection a ROLLBACK would fail or wait behind the stalled statement;
    // the connection is dropped instead, which ends the transaction on the server.
    if (failure === 'sql') await client.query('ROLLBACK').catch(() => undefined);
    return { ok: false, error, failure, sent };
  } finally {
    session.end();
  }
}

// A deadlock (two transactions taking the same locks in different orders) or a serialisation
// failure aborts one transaction; it is safe to run again from the start. So is one whose
// connection was lost before its COMMIT was sent, or whose COMMIT the database reports aborted.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;
const backoff = (attempt: number) => 5 + Math.random() * 20 * attempt;

export interface PostgresTimeouts {
  /** Opening a connection (default 5 s). */
  connectMs: number;
  /** One statement, including waits for locks; the server cancels it after this (default 10 s). */
  statementMs: number;
  /** A transaction left idle by a client that went away ends after this, releasing its locks (default 30 s). */
  idleInTransactionMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5000, statementMs: 10_000, idleInTransactionMs: 30_000 };

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  changeFeed?: Partial<ChangeFeedOptions>;
  timeouts?: Partial<PostgresTimeouts>;
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly feeds = new Set<ChangeFeed>();
  private readonly timeouts: PostgresTimeouts;

  constructor(
    private readonly connectionString: string,
    private readonly options: PostgresStoreOptions = {},
  ) {
    const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...options.timeouts };
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      types: TYPES,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: timeouts.connectMs,
      // The server cancels a statement after statement_timeout; the client gives up a little later,
      // for a link that no longer carries the cancellation (a black hole).
      statement_timeout: timeouts.statementMs,
      query_timeout: timeouts.statementMs + 1000,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      application_name: 'tokens',
    });
    // A connection can die at any moment (a failover, pg_terminate_backend, a proxy restart). pg
    // emits that on the client, and an 'error' event nobody listens to ends the process: every
    // client gets a listener of its own for its whole life, idle or checked out. The statement in
    // flight fails on its own; the pool drops the broken client when it comes back.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    super({ inTransaction: false, ...connection(pool, false) }, POSTGRES, POSTGRES_MIGRATIONS);
    this.pool = pool;
    this.timeouts = timeouts;
  }

  protected async runTransaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        // Nothing ran yet: a connection refused or cut while opening is tried again.
        if (classify(err) === 'lost' && attempt < MAX_ATTEMPTS) {
          await sleep(backoff(attempt));
          continue;
        }
        throw storeError(err);
      }
      const outcome = await transactionOn(client, fn);
      // A client whose connection failed or stalled is discarded, not reused.
      client.release(!outcome.ok && outcome.failure !== 'sql' ? true : undefined);
      if (outcome.ok) return outcome.value;
      const code = (outcome.error as { code?: unknown }).code;
      if (outcome.failure === 'sql') {
        if (typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await sleep(backoff(attempt));
          continue;
        }
        throw outcome.error;
      }
      // A stalled link is not asked again (that would stall too); a lost one is.
      if (outcome.sent && outcome.failure === 'timeout') throw storeError(outcome.error, true);
      if (outcome.sent) {
        // The COMMIT went out and no answer came back: ask the database how it ended.
        const status = await this.commitStatus(outcome.sent.xid);
        if (status === 'committed') return outcome.sent.value;
        if (status === 'unknown') throw storeError(outcome.error, true);
      }
      // It provably did not commit; run it again while the connection is being lost, not stalled.
      if (outcome.failure === 'lost' && attempt < MAX_ATTEMPTS) {
        await sleep(backoff(attempt));
        continue;
      }
      throw storeError(outcome.error);
    }
  }
  /**
   * How the transaction `xid` ended, asked on another connection: 'committed', 'aborted', or
   * 'unknown' when the database cannot be asked (or still has it in progress) within a second or two.
   */
  private async commitStatus(xid: string): Promise<'committed' | 'aborted' | 'unknown'> {
    const deadline = performance.now() + 2000;
    for (;;) {
      const status = await this.pool
        .query<{ status: string | null }>({ text: 'SELECT txid_status($1::bigint) AS status', values: [xid], query_timeout: 1000 } as pg.QueryConfig)
        .then((r) => r.rows[0]?.status ?? 'unknown', () => 'in progress');
      if (status === 'committed' || status === 'aborted') return status;
      // 'in progress' while the terminated backend is still going away; null for an xid too old to know.
      if (status === 'unknown' || performance.now() > deadline) return 'unknown';
      await sleep(50);
    }
  }

  /**
   * Migrations run on a connection of their own, without the pool's statement timeout (a migration
   * may build an index on a large table), under a session-level advisory lock: instances starting
   * together wait here, then find nothing left to do. A migration cut off by a lost connection
   * rolled back and released the lock with its session; it is tried again on a new connection.
   */
  protected async withMigrationConnection<T>(fn: (connection: MigrationConnection) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.migrateOnce(fn);
      } catch (err) {
        if (classify(err) !== 'lost' || attempt >= MAX_ATTEMPTS) throw storeError(err);
        await sleep(100 * attempt);
      }
    }
  }

  private async migrateOnce<T>(fn: (connection: MigrationConnection) => Promise<T>): Promise<T> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      types: TYPES,
      keepAlive: true,
      connectionTimeoutMillis: this.timeouts.connectMs,
      application_name: 'tokens-migrate',
    });
    // As for the pool's clients: a dying connection must fail the migration, not the process.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtextextended('tokens:migrate', 0))");
      const value = await fn({
        session: { inTransaction: false, ...connection(client, false) },
        transaction: async (body) => {
          const outcome = await transactionOn(client, body);
          if (!outcome.ok) throw outcome.error;
          return outcome.value;
        },
      });
      await client.query("SELECT pg_advisory_unlock(hashtextextended('tokens:migrate', 0))");
      return value;
    } finally {
      // Ending the session releases the lock too, whatever happened above.
      await client.end().catch(() => undefined);
    }
  }

  watchChanges(handlers: ChangeHandlers): () => Promise<void> {
    const feed = new ChangeFeed(
      this.pool,
      () => {
        const client = new pg.Client({
          connectionString: this.connectionString,
          types: TYPES,
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          connectionTimeoutMillis: this.timeouts.connectMs,
          application_name: 'tokens-listen',
        });
        return client;
      },
      handlers,
      { ...DEFAULT_CHANGE_FEED_OPTIONS, ...this.options.changeFeed },
    );
    this.feeds.add(feed);
    feed.start();
    return async () => {
      this.feeds.delete(feed);
      await feed.stop();
    };
  }

  async ping(): Promise<void> {
    await this.session.all('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([...this.feeds].map((feed) => feed.stop()));
    this.feeds.clear();
    if (!this.pool.ended) await this.pool.end();
  }
}

export function openPostgresStore(url: string, options?: PostgresStoreOptions): Store {
  return new PostgresStore(url, options);
}
