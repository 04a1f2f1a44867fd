// The embedded store: the SQL core (./sql/) on node:sqlite, in WAL mode. Statements are synchronous;
// transactions are serialised by a promise chain so that no other transaction's statements
// interleave with an open one, which is also why SQLite needs no row or key locks.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { TransactionSession, type Codec, type Dialect, type Row, type SqlConnection, type SqlSession } from './sql/driver.js';
import type { MigrationConnection } from './sql/migrate.js';
import { SQLITE_MIGRATIONS } from './sql/migrations/sqlite.js';
import { SqlStore } from './sql/store.js';
import { WalCheckpointer } from './sqlite-checkpoint.js';
import { StoreUnavailableError } from './types.js';

const asIs: Codec = { encode: (v) => v, decode: (v) => v };

/** JSON as text; integers as SQLite returns them (numbers); blobs as Buffers. */
const SQLITE: Dialect = {
  codecs: {
    text: asIs,
    freeText: asIs,
    json: { encode: (v) => JSON.stringify(v), decode: (v) => JSON.parse(v as string) },
    integer: { encode: (v) => v, decode: (v) => Number(v) },
    boolean: { encode: (v) => (v ? 1 : 0), decode: (v) => Number(v) !== 0 },
    time: { encode: (v) => v, decode: (v) => Number(v) },
    bytes: { encode: (v) => v, decode: (v) => Buffer.from(v as Uint8Array) },
  },
  scopeHeld: (placeholder) => `EXISTS (SELECT 1 FROM json_each(tokens.scopes) WHERE json_each.value = ${placeholder})`,
  rowLocks: false,
  // One writer at a time: nothing to skip.
  skipLocked: '',
};

/** SQLITE_BUSY and SQLITE_LOCKED (primary codes): another process held the database past busy_timeout. */
const BUSY_CODES = new Set([5, 6]);

/**
 * Runs one call into SQLite; a database another process kept locked past busy_timeout is
 * StoreUnavailableError (503 store_unavailable, nothing written), not an unexplained failure.
 */
function guarded<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    const errcode = (err as { errcode?: unknown }).errcode;
    if (typeof errcode === 'number' && BUSY_CODES.has(errcode & 0xff)) {
      throw new StoreUnavailableError('the database is locked by another process; try again', false, { cause: err });
    }
    throw err;
  }
}

function connection(db: DatabaseSync): SqlConnection {
  // Prepared once per statement text; the core keeps the number of distinct texts small.
  const statements = new Map<string, StatementSync>();
  const prepared = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: readonly unknown[] = []) => params as SQLInputValue[];
  return {
    all: async (sql, params) => guarded(() => prepared(sql).all(...bind(params)) as Row[]),
    run: async (sql, params) => guarded(() => Number(prepared(sql).run(...bind(params)).changes)),
    exec: async (script) => guarded(() => db.exec(script)),
    lock: async () => undefined,
  };
}

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite' as const;
  readonly db: DatabaseSync;
  private readonly connection: SqlConnection;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checkpointer: WalCheckpointer | null = null;

  constructor(readonly path: string) {
    if (path !== ':memory:') {
      // Private from the start: directories it creates 0700, the file 0600 before SQLite opens it
      // (SQLite gives the WAL and SHM files the database file's mode). Existing ones are left as they are.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600));
    }
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    const statements = connection(db);
    super({ inTransaction: false, ...statements }, SQLITE, SQLITE_MIGRATIONS);
    this.db = db;
    this.connection = statements;
    if (path !== ':memory:') {
      // Checkpoints off the event loop (sqlite-checkpoint.ts); SQLite's own again if that worker fails.
      db.exec('PRAGMA wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer(path, () => {
        if (db.isOpen) db.exec('PRAGMA wal_autocheckpoint = 1000');
      });
    }
  }

  protected runTransaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const run = async () => {
      const session = new TransactionSession(this.connection);
      guarded(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await fn(session);
        guarded(() => this.db.exec('COMMIT'));
        return result;
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        session.end();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One process migrates at a time because each migration's transaction is BEGIN IMMEDIATE. */
  protected withMigrationConnection<T>(fn: (connection: MigrationConnection) => Promise<T>): Promise<T> {
    return fn({ session: this.session, transaction: (body) => this.runTransaction(body) });
  }

  async ping(): Promise<void> {
    await this.session.all('SELECT 1');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpointer?.stop();
    if (this.db.isOpen) this.db.close();
  }
}
