// A fresh, uniquely named PostgreSQL database per test, so parallel test files never collide.
// TOKENS_TEST_POSTGRES_URL names the server (any database on it); scripts/test.sh starts a local one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER_URL = process.env.TOKENS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one query on the database (for assertions and fault injection). */
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(SERVER_URL);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tokens_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: (sql, params) => onServer(async (c) => (await c.query(sql, params)).rows, name),
    drop: () => onServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** Runs cleanups last-registered first; every one runs even if an earlier one fails (so databases are dropped). */
export async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err: unknown) => errors.push(err));
  if (errors.length) throw errors[0];
}
