// The usage history's statements (README "Usage history"), for both engines: counts per token and
// period added in batches, read as a series or a ranking, and rolled up from hours into days.
import { REFUSAL_REASONS, type RefusalReason, type UsageGranularity } from '../../../shared/wire-constants.js';
import type { UsageAddressRecord, UsageCountRecord, UsageRollup, UsageTotals } from '../types.js';
import type { Row, SqlSession } from './driver.js';
import { Params } from './where.js';

const DAY_MS = 86_400_000;
const DAY_OF = (column: string) => `(${column} - ${column} % ${DAY_MS})`;
/** Sums are cast back to BIGINT: PostgreSQL's SUM of bigint is numeric, which the driver would hand over as text. */
const sum = (expr: string) => `CAST(SUM(${expr}) AS BIGINT)`;
const REFUSED = REFUSAL_REASONS.join(' + ');
const COUNT_COLUMNS = ['uses', ...REFUSAL_REASONS] as const;
const SUMS = COUNT_COLUMNS.map((c) => `${sum(c)} AS ${c}`).join(', ');
/** Only one transaction at a time writes history rows that a rollup moves (flushes and rollups). */
export const USAGE_LOCK = 'usage-history';

/** Rows per INSERT, in power-of-two chunks, so a statement cache holds a few shapes. */
const ROWS_MAX = 256;
function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; ) {
    let size = ROWS_MAX;
    while (size > rows.length - start) size /= 2;
    yield rows.slice(start, start + size);
    start += size;
  }
}

const upsert = (table: string, columns: readonly string[], key: readonly string[], added: readonly string[], rows: number) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}
   ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${added.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;

const COUNTS_KEY = ['token_id', 'period', 'start'] as const;
const COUNTS_COLUMNS = [...COUNTS_KEY, ...COUNT_COLUMNS];
const ADDRESSES_KEY = ['token_id', 'period', 'start', 'address'] as const;
const ADDRESSES_COLUMNS = [...ADDRESSES_KEY, 'uses', 'refused'];

const byKey = <T extends { tokenId: string; period: string; start: number }>(a: T, b: T, extra = (x: T) => '') =>
  a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : a.start - b.start || (extra(a) < extra(b) ? -1 : extra(a) > extra(b) ? 1 : 0);

function refusalsOf(row: Row): Record<RefusalReason, number> {
  return Object.fromEntries(REFUSAL_REASONS.map((r) => [r, Number(row[r])])) as Record<RefusalReason, number>;
}

export async function addUsage(session: SqlSession, counts: UsageCountRecord[], addresses: UsageAddressRecord[]): Promise<void> {
  if (!counts.length && !addresses.length) return;
  await session.lock(USAGE_LOCK);
  // In key order, so that two instances adding to the same rows lock them in the same order.
  const sortedCounts = [...counts].sort((a, b) => byKey(a, b));
  for (const chunk of chunks(sortedCounts)) {
    const values = chunk.flatMap((c) => [c.tokenId, c.period, c.start, c.uses, ...REFUSAL_REASONS.map((r) => c.refusals[r])]);
    await session.run(upsert('usage_counts', COUNTS_COLUMNS, COUNTS_KEY, COUNT_COLUMNS, chunk.length), values);
  }
  const sortedAddresses = [...addresses].sort((a, b) => byKey(a, b, (x) => x.address));
  for (const chunk of chunks(sortedAddresses)) {
    const values = chunk.flatMap((a) => [a.tokenId, a.period, a.start, a.address, a.uses, a.refused]);
    await session.run(upsert('usage_addresses', ADDRESSES_COLUMNS, ADDRESSES_KEY, ['uses', 'refused'], chunk.length), values);
  }
}

export async function usageSeries(session: SqlSession, tokenId: string, granularity: UsageGranularity, since: number, until: number): Promise<UsageCountRecord[]> {
  const rows =
    granularity === 'hour'
      ? await session.all(
          `SELECT start, ${COUNT_COLUMNS.join(', ')} FROM usage_counts WHERE token_id = ? AND period = 'hour' AND start >= ? AND start < ? ORDER BY start`,
          [tokenId, since, until],
        )
      : await session.all(
          `SELECT ${DAY_OF('start')} AS start, ${SUMS} FROM usage_counts WHERE token_id = ? AND start >= ? AND start < ?
           GROUP BY ${DAY_OF('start')} ORDER BY 1`,
          [tokenId, since, until],
        );
  return rows.map((row) => ({ tokenId, period: granularity, start: Number(row.start), uses: Number(row.uses), refusals: refusalsOf(row) }));
}

export async function usageAddresses(session: SqlSession, tokenId: string, since: number, until: number, limit: number) {
  const rows = await session.all(
    `SELECT address, ${sum('uses')} AS uses, ${sum('refused')} AS refused FROM usage_addresses
     WHERE token_id = ? AND start >= ? AND start < ? GROUP BY address ORDER BY SUM(uses) + SUM(refused) DESC, address LIMIT ?`,
    [tokenId, since, until, limit],
  );
  return rows.map((row) => ({ address: String(row.address), uses: Number(row.uses), refused: Number(row.refused) }));
}

export async function topUsage(session: SqlSession, since: number, until: number, by: 'uses' | 'refused', limit: number): Promise<UsageTotals[]> {
  const ranked = by === 'uses' ? 'SUM(uses)' : `SUM(${REFUSED})`;
  const rows = await session.all(
    `SELECT token_id, ${SUMS} FROM usage_counts WHERE start >= ? AND start < ?
     GROUP BY token_id HAVING ${ranked} > 0 ORDER BY ${ranked} DESC, token_id LIMIT ?`,
    [since, until, limit],
  );
  return rows.map((row) => ({ tokenId: String(row.token_id), uses: Number(row.uses), refusals: refusalsOf(row) }));
}

export async function rollUpUsage(session: SqlSession, r: UsageRollup): Promise<void> {
  // Several instances may roll up at once: one at a time, or both would add the same hours.
  await session.lock(USAGE_LOCK);
  const hoursBefore = r.hoursBefore - (r.hoursBefore % DAY_MS);
  const addAll = (table: string, columns: readonly string[]) => columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  await session.run(
    `INSERT INTO usage_counts (${COUNTS_COLUMNS.join(', ')})
     SELECT token_id, 'day', ${DAY_OF('start')}, ${COUNT_COLUMNS.map((c) => sum(c)).join(', ')}
     FROM usage_counts WHERE period = 'hour' AND start < ? GROUP BY token_id, ${DAY_OF('start')}
     ON CONFLICT (${COUNTS_KEY.join(', ')}) DO UPDATE SET ${addAll('usage_counts', COUNT_COLUMNS)}`,
    [hoursBefore],
  );
  await session.run(`DELETE FROM usage_counts WHERE period = 'hour' AND start < ?`, [hoursBefore]);
  await session.run(
    `INSERT INTO usage_addresses (${ADDRESSES_COLUMNS.join(', ')})
     SELECT token_id, 'day', day, address, uses, refused FROM (
       SELECT token_id, ${DAY_OF('start')} AS day, address, ${sum('uses')} AS uses, ${sum('refused')} AS refused,
         ROW_NUMBER() OVER (PARTITION BY token_id, ${DAY_OF('start')} ORDER BY SUM(uses) + SUM(refused) DESC, address) AS place
       FROM usage_addresses WHERE period = 'hour' AND start < ? GROUP BY token_id, ${DAY_OF('start')}, address
     ) ranked WHERE place <= ?
     ON CONFLICT (${ADDRESSES_KEY.join(', ')}) DO UPDATE SET ${addAll('usage_addresses', ['uses', 'refused'])}`,
    [hoursBefore, r.keepAddresses],
  );
  await session.run(`DELETE FROM usage_addresses WHERE period = 'hour' AND start < ?`, [hoursBefore]);
  for (const table of ['usage_counts', 'usage_addresses']) await session.run(`DELETE FROM ${table} WHERE period = 'day' AND start < ?`, [r.daysBefore]);
  const p = new Params();
  const window = (column = 'start') => `period = 'hour' AND ${column} >= ${p.add(r.compactHours.from)} AND ${column} < ${p.add(r.compactHours.to)}`;
  const outer = window();
  const inner = window();
  await session.run(
    `DELETE FROM usage_addresses WHERE ${outer} AND NOT EXISTS (
       SELECT 1 FROM (
         SELECT token_id, start, address, ROW_NUMBER() OVER (PARTITION BY token_id, start ORDER BY uses + refused DESC, address) AS place
         FROM usage_addresses WHERE ${inner}
       ) kept
       WHERE kept.place <= ${p.add(r.keepAddresses)} AND kept.token_id = usage_addresses.token_id
         AND kept.start = usage_addresses.start AND kept.address = usage_addresses.address)`,
    p.values,
  );
}
