// The cross-instance change feed (README "PostgreSQL"): an outbox table written in the transaction
// that changes a token, NOTIFY on commit, one LISTEN connection per instance, replay by seq after a
// reconnect, a poll as a backstop, and fail-closed resets while the outbox cannot be read.
//
// Fail closed on time: every good read of the outbox re-arms a timer to fire failClosedMs after
// that read *started* (what it saw is at least that fresh). If the timer fires, no change since
// then can be vouched for: the instance is told at once (onHealth false, onReset), and again on
// every poll until a read succeeds. A timer rather than the poll, so the bound holds as written.
//
// Ordering: every publisher takes one transaction-scoped advisory lock before it draws a seq and
// holds it through COMMIT, so seqs become visible in seq order. A reader that has seen seq n has
// therefore seen every committed change below n, and a hole in the sequence can only be a change
// that never committed or a row already pruned; either way the reader resets rather than guess.
import pg from 'pg';
import { EVERY_TOKEN, type ChangeHandlers } from './types.js';

const CHANGES_CHANNEL = 'tokens_changes';
/** The database's clock in epoch milliseconds, so instances with skewed clocks agree on ages. */
const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
const READ_BATCH = 1000;

/** Records changed token ids in the caller's open transaction; delivered to listeners on commit. */
export async function publishTokenChanges(client: pg.ClientBase, ids: string[]): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended('tokens:changes', 0))");
  await client.query(
    `WITH added AS (INSERT INTO token_changes (token_id, at) SELECT unnest($1::text[]), ${DB_NOW_MS} RETURNING seq)
     SELECT pg_notify('${CHANGES_CHANNEL}', max(seq)::text) FROM added`,
    [ids],
  );
}

export interface ChangeFeedOptions {
  /** How often the outbox is read even without a notification (the backstop and heartbeat). */
  pollMs: number;
  /** After this long without a successful read, every cached entry is distrusted (fail closed). */
  failClosedMs: number;
  /** Outbox rows older than this are pruned. */
  retentionMs: number;
  pruneEveryMs: number;
  reconnectMaxMs: number;
  /** A read that takes longer is abandoned (its connection dropped), so a dead link cannot stall the feed. */
  queryTimeoutMs: number;
  /** How often the LISTEN connection is asked to answer; one that cannot (a black-holed link) is replaced. */
  listenerCheckMs: number;
}

export const DEFAULT_CHANGE_FEED_OPTIONS: ChangeFeedOptions = {
  pollMs: 500,
  failClosedMs: 3000,
  retentionMs: 3600_000,
  pruneEveryMs: 60_000,
  reconnectMaxMs: 5000,
  queryTimeoutMs: 5000,
  listenerCheckMs: 5000,
};

const monotonicNow = () => performance.now();

export class ChangeFeed {
  private cursor: number | null = null;
  private healthy = true;
  private failClosedTimer: NodeJS.Timeout | null = null;
  private lastListenerCheck = monotonicNow();
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private listener: pg.Client | null = null;
  private reconnectDelay = 100;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private lastPrune = monotonicNow();

  constructor(
    private readonly pool: pg.Pool,
    private readonly newListenerClient: () => pg.Client,
    private readonly handlers: ChangeHandlers,
    private readonly opts: ChangeFeedOptions,
  ) {}

  start(): void {
    this.pollTimer = setInterval(() => this.tick(), this.opts.pollMs);
    this.pollTimer.unref();
    this.armFailClosed(monotonicNow());
    void this.connectListener();
    void this.sync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.failClosedTimer) clearTimeout(this.failClosedTimer);
    await this.running;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped) return;
    void this.sync();
    // Repeated on every tick while unhealthy, so nothing cached can outlive one poll interval.
    if (!this.healthy) this.safely(() => this.handlers.onReset());
    if (this.listener && monotonicNow() - this.lastListenerCheck > this.opts.listenerCheckMs) {
      this.lastListenerCheck = monotonicNow();
      void this.checkListener(this.listener);
    }
    if (monotonicNow() - this.lastPrune > this.opts.pruneEveryMs) {
      this.lastPrune = monotonicNow();
      this.query(`DELETE FROM token_changes WHERE at < ${DB_NOW_MS} - $1`, [this.opts.retentionMs]).catch(() => undefined);
    }
  }

  /** Reads the outbox past the cursor; one read at a time, coalescing requests that arrive meanwhile. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.readOutbox();
        } while (this.again && !this.stopped);
      } catch {
        // The next tick retries; staying unsynced for failClosedMs resets caches.
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Fires failClosedMs after `readStartedAt` unless a later good read re-arms it. */
  private armFailClosed(readStartedAt: number): void {
    if (this.failClosedTimer) clearTimeout(this.failClosedTimer);
    if (this.stopped) return;
    this.failClosedTimer = setTimeout(() => this.failClosed(), Math.max(0, readStartedAt + this.opts.failClosedMs - monotonicNow()));
    this.failClosedTimer.unref();
  }

  private failClosed(): void {
    this.failClosedTimer = null;
    if (this.stopped) return;
    if (this.healthy) {
      this.healthy = false;
      this.safely(() => this.handlers.onHealth?.(false, 'the token change feed cannot be read; dropping cached tokens until it recovers'));
    }
    this.safely(() => this.handlers.onReset());
  }

  private async readOutbox(): Promise<void> {
    const started = monotonicNow();
    if (this.cursor === null) {
      const { rows } = await this.query<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM token_changes');
      this.cursor = rows[0]!.seq;
      // Whatever was cached before the feed had a position cannot be vouched for.
      this.safely(() => this.handlers.onReset());
    }
    for (;;) {
      const { rows } = await this.query<{ seq: number; token_id: string }>(
        'SELECT seq, token_id FROM token_changes WHERE seq > $1 ORDER BY seq LIMIT $2',
        [this.cursor, READ_BATCH],
      );
      if (!rows.length) break;
      let expected: number = this.cursor;
      let hole = false;
      for (const row of rows) {
        if (row.seq !== expected + 1) hole = true;
        expected = row.seq;
      }
      const ids = [...new Set(rows.map((r) => r.token_id))];
      if (hole || ids.includes(EVERY_TOKEN)) this.safely(() => this.handlers.onReset());
      else this.safely(() => this.handlers.onChange(ids));
      this.cursor = expected;
      if (rows.length < READ_BATCH) break;
    }
    this.armFailClosed(started);
    if (!this.healthy) {
      this.healthy = true;
      this.safely(() => this.handlers.onHealth?.(true, 'the token change feed is readable again'));
    }
  }

  private query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>({ text, values, query_timeout: this.opts.queryTimeoutMs } as pg.QueryConfig);
  }

  private async connectListener(): Promise<void> {
    if (this.stopped) return;
    const client = this.newListenerClient();
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.reconnectTimer = setTimeout(() => void this.connectListener(), this.reconnectDelay);
      this.reconnectTimer.unref();
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.opts.reconnectMaxMs);
    };
    client.on('notification', () => void this.sync());
    client.on('error', onLost);
    client.on('end', onLost);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      onLost();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.reconnectDelay = 100;
    // Replay whatever committed while this instance was not listening.
    void this.sync();
  }

  /** A LISTEN connection that no longer answers (its link black-holed) is dropped; its 'end' reconnects. */
  private async checkListener(client: pg.Client): Promise<void> {
    try {
      await client.query({ text: 'SELECT 1', query_timeout: this.opts.queryTimeoutMs } as pg.QueryConfig);
    } catch {
      // end() destroys the socket when a query is still waiting on it.
      if (this.listener === client) await client.end().catch(() => undefined);
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // A listener's failure must not stop the feed for the others.
    }
  }
}
