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

/**
 * Statements on a pool (each on any free client) or on one client. Inside a transaction `lock`
 * takes an advisory lock held until it ends; outside one there is nothing to hold it for.
 */
function connection(db: pg.Pool | pg.ClientBase, inTransaction: boolean): SqlConnection {
  return {
    all: async (sql, params) => (await db.query<Row>(numbered(sql), params as unknown[])).rows,
    run: async (sql, params) => (await db.query(numbered(sql), params as unknown[])).rowCount ?? 0,
    exec: async (script) => void (await db.query(script)),
    lock: async (key, shared) => {
      if (inTransaction) await db.query(`SELECT pg_advisory_xact_lock${shared ? '_shared' : ''}(hashtextextended($1, 0))`, [`tokens:${key}`]);
    },
  };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; connectionLost: boolean };

/** One transaction on `client`; changed tokens are announced in it, just before COMMIT. */
async function transactionOn<T>(client: pg.ClientBase, fn: (session: SqlSession) => Promise<T>): Promise<Outcome<T>> {
  const session = new TransactionSession(connection(client, true));
  try {
    await client.query('BEGIN');
    const value = await fn(session);
    if (session.changedTokens.size) await publishTokenChanges(client, [...session.changedTokens]);
    await client.query('COMMIT');
    return { ok: true, value };
  } catch (error) {
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    return { ok: false, error, connectionLost: !rolledBack };
  } finally {
    session.end();
  }
}

// A deadlock (two transactions taking the same locks in different orders) or a serialisation
// failure aborts one transaction; it is safe to run again from the start.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  changeFeed?: Partial<ChangeFeedOptions>;
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly feeds = new Set<ChangeFeed>();

  constructor(
    private readonly connectionString: string,
    private readonly options: PostgresStoreOptions = {},
  ) {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      types: TYPES,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'tokens',
    });
    // An idle client losing its connection (database restart) is dropped from the pool; the next
    // query opens a new one. Without a listener the error would crash the process.
    pool.on('error', () => undefined);
    super({ inTransaction: false, ...connection(pool, false) }, POSTGRES, POSTGRES_MIGRATIONS);
    this.pool = pool;
  }

  protected async runTransaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const outcome = await transactionOn(client, fn);
      // A client whose connection failed mid-transaction is discarded, not reused.
      client.release(!outcome.ok && outcome.connectionLost ? true : undefined);
      if (outcome.ok) return outcome.value;
      const code = (outcome.error as { code?: unknown }).code;
      if (typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
        continue;
      }
      throw outcome.error;
    }
  }

  /** Under a session-level advisory lock: instances starting together wait here, then find nothing left to do. */
  protected async withMigrationConnection<T>(fn: (connection: MigrationConnection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtextextended('tokens:migrate', 0))");
      try {
        return await fn({
          session: { inTransaction: false, ...connection(client, false) },
          transaction: async (body) => {
            const outcome = await transactionOn(client, body);
            if (!outcome.ok) throw outcome.error;
            return outcome.value;
          },
        });
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended('tokens:migrate', 0))");
      }
    } finally {
      client.release();
    }
  }

  watchChanges(handlers: ChangeHandlers): () => Promise<void> {
    const feed = new ChangeFeed(
      this.pool,
      () =>
        new pg.Client({
          connectionString: this.connectionString,
          types: TYPES,
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          application_name: 'tokens-listen',
        }),
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
