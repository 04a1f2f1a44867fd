// The migration runner for both engines: numbered, forward-only migrations (./migrations/), each
// applied once in its own transaction and recorded in schema_migrations. Never edit one that has
// shipped; add the next number instead.
import type { SqlSession } from './driver.js';

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/** The connection migrations run on, held by one process at a time where several share a database. */
export interface MigrationConnection {
  readonly session: SqlSession;
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

export async function schemaVersion(session: SqlSession): Promise<number> {
  const [row] = await session.all('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return Number(row!.v);
}

export async function runMigrations(connection: MigrationConnection, migrations: readonly Migration[]): Promise<void> {
  await connection.session.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
  const current = await schemaVersion(connection.session);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await connection.transaction(async (tx) => {
      // Another process may have applied it since `current` was read (SQLite has no migration lock;
      // its transaction is the lock).
      if (migration.version <= (await schemaVersion(tx))) return;
      await tx.exec(migration.sql);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [migration.version, Date.now()]);
    });
  }
}
