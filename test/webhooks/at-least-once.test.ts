// At-least-once delivery from the outbox (README "Webhooks"): a server killed with SIGKILL between a
// revoke and its delivery delivers it after the restart, under the same webhook-id; two instances on
// one PostgreSQL database deliver each event once per webhook.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups } from '../helpers/postgres.js';
import { startServerProcess } from '../helpers/process.js';
import { FAST, startReceiver, subscribe } from './receiver.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

describe('at-least-once delivery', () => {
  it('kill -9 between a revoke and its delivery: delivered after the restart, with the same webhook-id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-kill-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const db = join(dir, 'tokens.db');
    const start = async () => {
      const server = await startServerProcess(['--db', db, '--bootstrap-file', join(dir, 'bootstrap'), '--allow-private-webhooks', '--webhook-timeout', '1s', '--log-level', 'warn']);
      cleanup.push(async () => void server.child.kill('SIGKILL'));
      return server;
    };

    const first = await start();
    const admin = readFileSync(join(dir, 'bootstrap'), 'utf8').trim();
    await subscribe(first, admin, receiver, ['token.revoked']);
    const made = await api(first, admin, 'POST', '/v1/tokens', { name: 'doomed', scopes: ['tokens:read'] });
    // The receiver takes the first attempt and never answers it; the server dies meanwhile.
    receiver.behave('hang');
    expect((await api(first, admin, 'POST', `/v1/tokens/${made.body.token.id}/revoke`, { reason: 'leaked' })).status).toBe(200);
    await receiver.waitFor(() => receiver.hanging === 1);
    first.child.kill('SIGKILL');
    expect((await first.child).signal).toBe('SIGKILL');

    receiver.behave(200);
    const second = await start();
    await receiver.waitFor((r) => r.length === 2, 15_000);
    const [attempt, redelivery] = receiver.received;
    expect(redelivery!.id).toBe(attempt!.id);
    expect(receiver.received.every((r) => r.error === null && r.event!.type === 'token.revoked' && r.event!.data.token.id === made.body.token.id)).toBe(true);
    const [webhook] = (await api(second, admin, 'GET', '/v1/webhooks')).body.data;
    const delivery = (await api(second, admin, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data[0];
    expect(delivery).toMatchObject({ id: attempt!.id, state: 'delivered', attempts: 2 });
  });

  it('two instances on one PostgreSQL database deliver each event once per webhook', async () => {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const env = { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` };
    const instance = async (): Promise<TestServer> => {
      const server = await startTestServer({ databaseUrl: db.url, allowPrivateWebhooks: true }, env, { webhookTimings: FAST });
      cleanup.push(() => server.destroy());
      return server;
    };
    const a = await instance();
    const b = await instance();
    const admin = a.adminSecret;
    const receivers = [await startReceiver(), await startReceiver()];
    for (const r of receivers) {
      cleanup.push(() => r.close());
      await subscribe(a, admin, r, ['token.created', 'token.revoked']);
    }
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const on = i % 2 ? b : a;
      const res = await api(on, admin, 'POST', '/v1/tokens', { name: `twin-${i}`, scopes: ['tokens:read'] });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.token.id);
    }
    for (const [i, id] of ids.entries()) expect((await api(i % 2 ? a : b, admin, 'POST', `/v1/tokens/${id}/revoke`)).status).toBe(200);
    for (const r of receivers) await r.waitFor((got) => got.length >= 16);
    // Several more polls of both instances: nothing arrives twice.
    await new Promise((r) => setTimeout(r, 20 * FAST.pollMs));
    for (const r of receivers) {
      expect(r.received.every((x) => x.error === null)).toBe(true);
      const seen = r.received.map((x) => `${x.event!.type} ${x.event!.data.token.id}`);
      expect(seen).toHaveLength(16);
      expect(new Set(seen).size).toBe(16);
      expect(new Set(r.received.map((x) => x.id)).size).toBe(16);
      expect(new Set(seen)).toEqual(new Set(ids.flatMap((id) => [`token.created ${id}`, `token.revoked ${id}`])));
    }
    const rows = await db.query("SELECT state, COUNT(*)::int AS n, MAX(attempts) AS most FROM webhook_deliveries GROUP BY state");
    expect(rows).toEqual([{ state: 'delivered', n: 32, most: 1 }]);
  });
});
