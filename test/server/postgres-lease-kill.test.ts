// An instance killed with SIGKILL while it holds a share of a token's rate limit: the share stops
// counting when its lease ends (README "Limits and quotas": lease TTL 10 s), and the other instances
// get that budget back then — not a window later, and not never.
import { afterEach, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { api, startTestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups } from '../helpers/postgres.js';
import { freePort } from '../helpers/process.js';
import { forwardAuth } from '../verify/helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tokens.js');
const LEASE_TTL_MS = 10_000;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

it('kill -9 of an instance holding a share: its budget returns within the lease TTL', async () => {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  const env = { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` };
  const a = await startTestServer({ databaseUrl: db.url }, env);
  cleanup.push(() => a.destroy());
  const port = await freePort();
  const b: ResultPromise = execa('node', [BIN, 'server', '--port', String(port), '--database-url', db.url], { reject: false, stdin: 'ignore', env: { ...env, TOKENS_LOG_LEVEL: 'warn' } });
  cleanup.push(async () => void b.kill('SIGKILL'));
  const bUrl = { url: `http://127.0.0.1:${port}` };
  for (let i = 0; i < 100; i++) {
    if (await api(bUrl, null, 'GET', '/readyz').then((r) => r.status === 200, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const make = async (body: Record<string, unknown>) => {
    const res = await api(a, a.adminSecret, 'POST', '/v1/tokens', { name: `kill-${randomBytes(3).toString('hex')}`, scopes: ['tokens:read'], ...body });
    expect(res.status, res.text).toBe(201);
    return res.body.secret as string;
  };
  const gateway = await make({ scopes: ['verify'] });
  // 100 an hour: nothing comes back by the window in this test, only by the lease ending.
  const limited = await make({ rate_limit: { requests: 100, per_seconds: 3600 } });
  const via = (server: { url: string }) => forwardAuth(server, gateway, `Bearer ${limited}`);

  for (let i = 0; i < 5; i++) expect((await via(bUrl)).status).toBe(200); // B leases a share of 10, uses 5
  let fromA = 0;
  while ((await via(a)).status === 200) fromA++;
  expect(fromA).toBe(90);

  b.kill('SIGKILL');
  await b;
  const killedAt = Date.now();
  let back = 0;
  while (Date.now() - killedAt < LEASE_TTL_MS + 3000) {
    if ((await via(a)).status === 200) {
      back = Date.now() - killedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(back).toBeGreaterThan(0);
  expect(back).toBeLessThanOrEqual(LEASE_TTL_MS + 1500);
  // B's whole share came back — the 5 it had used too: at most one lease over the limit in all (README's bound).
  let more = 1;
  while ((await via(a)).status === 200) more++;
  expect(more).toBe(10);
}, 30_000);
