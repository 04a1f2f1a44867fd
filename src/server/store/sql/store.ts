// The Store both engines share: every operation in SqlQueries, migrations by the one runner; each
// engine's class supplies its connection, transactions and dialect (../sqlite.ts, ../postgres.ts).
import type { RateLeaseGrant, RateLeaseRequest, Store, StoreOps, TokenRecord, UsageAddressRecord, UsageCountRecord, UsageRollup, UsageUpdate } from '../types.js';
import { tablesFor } from './columns.js';
import type { Dialect, SqlSession } from './driver.js';
import { runMigrations, schemaVersion, type Migration, type MigrationConnection } from './migrate.js';
import { SqlQueries } from './queries.js';

export abstract class SqlStore extends SqlQueries implements Store {
  abstract readonly kind: Store['kind'];

  constructor(
    session: SqlSession,
    dialect: Dialect,
    private readonly migrations: readonly Migration[],
  ) {
    super(session, tablesFor(dialect));
  }

  /**
   * Runs fn in a transaction on a session of its own (a TransactionSession, ended when the
   * transaction is), commits if it resolves and rolls back if it throws.
   */
  protected abstract runTransaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs fn with the connection migrations use, while no other process migrates this database. */
  protected abstract withMigrationConnection<T>(fn: (connection: MigrationConnection) => Promise<T>): Promise<T>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
    return this.runTransaction((session) => fn(new SqlQueries(session, this.tables)));
  }

  async migrate(): Promise<number> {
    await this.withMigrationConnection((connection) => runMigrations(connection, this.migrations));
    return this.schemaVersion();
  }

  schemaVersion(): Promise<number> {
    return schemaVersion(this.session);
  }

  // Outside a transaction these still run in one: changes are announced at commit, and usage locks
  // its rows first.
  override updateToken(token: TokenRecord): Promise<void> {
    return this.transaction((tx) => tx.updateToken(token));
  }

  override recordUsage(updates: UsageUpdate[]): Promise<void> {
    return this.transaction((tx) => tx.recordUsage(updates));
  }

  override addUsage(counts: UsageCountRecord[], addresses: UsageAddressRecord[]): Promise<void> {
    return this.transaction((tx) => tx.addUsage(counts, addresses));
  }

  // Granted under the key's lock, which only a transaction holds.
  override leaseRate(request: RateLeaseRequest): Promise<RateLeaseGrant> {
    return this.transaction((tx) => tx.leaseRate(request));
  }

  override rollUpUsage(rollup: UsageRollup): Promise<void> {
    return this.transaction((tx) => tx.rollUpUsage(rollup));
  }
}
