// A real server (fastify app, SQLite store, verify fast path) whose clock the test moves forward, so
// an overlap or an expiry can end without the test waiting for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { loadOrCreatePepperFile } from '../../src/server/pepper.js';
import { SqliteStore } from '../../src/server/store/sqlite.js';

export interface ClockServer {
  url: string;
  adminSecret: string;
  /** Moves the server's clock forward. */
  advance(seconds: number): void;
  now(): number;
  destroy(): Promise<void>;
}

export async function startClockServer(): Promise<ClockServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-clock-'));
  const store = new SqliteStore(join(dir, 'tokens.db'));
  await store.migrate();
  let offsetMs = 0;
  const clock = () => Date.now() + offsetMs;
  const { app, ctx } = await buildApp({ store, peppers: loadOrCreatePepperFile(join(dir, 'pepper')), secretPrefix: 'tkn', logger: false, clock, trustProxy: false });
  ctx.usage.start();
  const boot = await ctx.tokens.bootstrap();
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('0.0.0.0', '127.0.0.1');
  return {
    url,
    adminSecret: boot!.secret,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
    now: clock,
    async destroy() {
      await app.close();
      await ctx.usage.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

