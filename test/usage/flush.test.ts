// The usage flush on a real SQLite file: thousands of tokens are written in short transactions that
// let requests in between (on SQLite every statement holds the event loop), and a store error part
// way through loses nothing and counts nothing twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TOKENS_PER_CHUNK, UsageRecorder } from '../../src/server/service/usage.js';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { makeToken } from '../store/conformance.js';

const TOKENS = 1_000;
const HOUR = 3_600_000;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function storeWithTokens(): Promise<{ store: SqliteStore; ids: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-usage-flush-'));
  dirs.push(dir);
  const store = new SqliteStore(join(dir, 'tokens.db'));
  await store.migrate();
  const tokens = Array.from({ length: TOKENS }, () => makeToken());
  await store.transaction(async (tx) => {
    for (const t of tokens) await tx.insertToken(t);
  });
  return { store, ids: tokens.map((t) => t.id) };
}

/** The hour a clock reading falls in, as the history keys it. */
const hourOf = (at: number) => at - (at % HOUR);

describe('usage flush', () => {
  it(`writes ${TOKENS.toLocaleString('en')} tokens in transactions of at most ${TOKENS_PER_CHUNK}, with requests let in between`, async () => {
    const { store, ids } = await storeWithTokens();
    const now = Date.now();
    const recorder = new UsageRecorder(store, () => now);
    for (const id of ids) recorder.record(id, '192.0.2.1');
    recorder.refused(ids[0]!, 'scope', '192.0.2.1');

    const transactions = vi.spyOn(store, 'transaction');
    let letIn = 0;
    const request = setInterval(() => letIn++, 0);
    try {
      await recorder.flush();
    } finally {
      clearInterval(request);
    }
    expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(TOKENS / TOKENS_PER_CHUNK));
    // A timer queued behind the first transaction ran before the last one: the flush did not hold the loop throughout.
    expect(letIn).toBeGreaterThan(0);

    for (const id of [ids[0]!, ids[500]!, ids.at(-1)!]) {
      const row = (await store.getToken(id))!;
      expect(row.useCount).toBe(1);
      expect(row.lastUsedAt).toBe(now);
      expect(row.lastUsedIp).toBe('192.0.2.1');
    }
    const [first] = await store.usageSeries(ids[0]!, 'hour', hourOf(now), hourOf(now) + HOUR);
    expect(first).toMatchObject({ uses: 1, refusals: expect.objectContaining({ scope: 1 }) });
    expect(recorder.pendingCount).toBe(0);
    await store.close();
  });

  it('puts back what a failing transaction did not write, and the next flush writes it once', async () => {
    const { store, ids } = await storeWithTokens();
    const now = Date.now();
    const recorder = new UsageRecorder(store, () => now, { onError: () => undefined });
    for (const id of ids) recorder.record(id, '192.0.2.1');

    // The third chunk's transaction fails: the first two are written, the rest wait for the next flush.
    const real = store.transaction.bind(store);
    let calls = 0;
    vi.spyOn(store, 'transaction').mockImplementation(((fn: Parameters<typeof real>[0]) => (++calls === 3 ? Promise.reject(new Error('disk I/O error')) : real(fn))) as typeof real);
    await recorder.flush();
    expect(recorder.pendingCount).toBe(TOKENS - 2 * TOKENS_PER_CHUNK);
    await recorder.flush();
    expect(recorder.pendingCount).toBe(0);

    const useCounts = await Promise.all(ids.map(async (id) => (await store.getToken(id))!.useCount));
    expect(useCounts.every((n) => n === 1)).toBe(true);
    const series = await Promise.all([ids[0]!, ids[TOKENS / 2]!, ids.at(-1)!].map((id) => store.usageSeries(id, 'hour', hourOf(now), hourOf(now) + HOUR)));
    expect(series.map((s) => s.map((c) => c.uses))).toEqual([[1], [1], [1]]);
    await store.close();
  });
});
