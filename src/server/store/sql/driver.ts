// What a store's driver hands the SQL core: sessions that run statements written with `?`
// placeholders, and its dialect — how each kind of field is encoded, and the few spots where the two
// engines' SQL differs.
import type { FieldKind } from '../fields.js';

export type Row = Record<string, unknown>;

/** What a driver runs statements on: a pool, a database handle, or one transaction's connection. */
export interface SqlConnection {
  /** Runs one statement, binding `params` to its `?` placeholders in order; returns its rows. */
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs one statement; returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a script of several statements without parameters (a migration). */
  exec(script: string): Promise<void>;
  /**
   * Inside a transaction, holds `key` until the transaction ends, so that transactions which check
   * something and then write on the strength of it serialise across processes. A `shared` hold
   * waits only for exclusive ones (many transactions may share a key that one sometimes needs
   * alone). Outside a transaction, or where transactions are serialised anyway, it does nothing.
   */
  lock(key: string, shared?: boolean): Promise<void>;
}

/** A connection as the core uses it: outside any transaction (autocommit) or inside one. */
export interface SqlSession extends SqlConnection {
  readonly inTransaction: boolean;
  /** Inside a transaction: the tokens it changed, for a store that announces changes at commit. */
  readonly changedTokens?: Set<string>;
}

export interface Codec {
  encode(value: unknown): unknown;
  decode(value: unknown): unknown;
}

export interface Dialect {
  /** How a value of each kind is written to this engine and read back; null is always NULL. */
  readonly codecs: Readonly<Record<FieldKind, Codec>>;
  /** A condition that holds when the token's scopes (a JSON array) contain the bound scope. */
  scopeHeld(placeholder: string): string;
  /** Whether reads that a transaction is about to write on lock their rows (FOR UPDATE). */
  readonly rowLocks: boolean;
  /** Appended to a subquery that picks rows to claim: rows another transaction holds are skipped, not waited for. */
  readonly skipLocked: string;
}

/**
 * A transaction's session: the driver's session for that transaction, refusing every use once the
 * transaction has ended (a handle kept past its transaction would otherwise run its statements
 * outside it, or inside someone else's).
 */
export class TransactionSession implements SqlSession {
  readonly inTransaction = true;
  readonly changedTokens = new Set<string>();
  private ended = false;

  constructor(private readonly inner: SqlConnection) {}

  end(): void {
    this.ended = true;
  }

  private open(): void {
    if (this.ended) throw new Error('the transaction has already ended');
  }

  async all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.open();
    return this.inner.all(sql, params);
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    this.open();
    return this.inner.run(sql, params);
  }

  async exec(script: string): Promise<void> {
    this.open();
    return this.inner.exec(script);
  }

  async lock(key: string, shared?: boolean): Promise<void> {
    this.open();
    return this.inner.lock(key, shared);
  }
}
