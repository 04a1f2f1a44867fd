// Events the server sends on its own (README "Webhooks"): token.expiring at 14, 7 and 1 days and
// token.expired, each once, driven by the injectable clock — also when the threshold passed while the
// server was down — and auth.denied.burst when one token is refused too often within a minute.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { runCleanups } from '../helpers/postgres.js';
import { introspect, issue } from '../verify/helpers.js';
import { FAST, startReceiver, subscribe, type Receiver } from './receiver.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

const days = (receiver: Receiver) => receiver.events('token.expiring').map((r) => r.event!.data.days_before);
const settle = () => new Promise((r) => setTimeout(r, 6 * FAST.expiryScanMs));

describe('expiry warnings', () => {
  it('token.expiring at 14, 7 and 1 days before, then token.expired: each once', async () => {
    let now = Date.UTC(2031, 2, 1, 12);
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const server = await startTestServer({ allowPrivateWebhooks: true }, {}, { clock: () => now, webhookTimings: FAST });
    cleanup.push(() => server.destroy());
    await subscribe(server, server.adminSecret, receiver, ['token.expiring', 'token.expired']);
    const expiresAt = now + 30 * DAY;
    const t = await issue(server, { name: 'quarterly', scopes: ['tokens:read'], expires_at: new Date(expiresAt).toISOString() });
    // Born 3 days before its expiry: only the 1-day warning is one it lives to see.
    const short = await issue(server, { name: 'short', scopes: ['tokens:read'], expires_at: new Date(now + 3 * DAY).toISOString() });

    const created = now;
    const sent = () => receiver.events().map((r) => [r.event!.type, r.event!.data.token.id === t.id ? 'quarterly' : 'short', r.event!.data.days_before ?? null]);
    const step = async (at: number, total: number) => {
      now = at;
      await receiver.waitFor(() => receiver.received.length === total);
      await settle(); // several more scans: nothing is sent twice
      expect(receiver.received).toHaveLength(total);
    };
    await settle();
    expect(receiver.received).toEqual([]);
    await step(created + 2 * DAY + MINUTE, 1);
    await step(created + 3 * DAY + MINUTE, 2);
    await step(expiresAt - 14 * DAY + MINUTE, 3);
    await step(expiresAt - 7 * DAY + MINUTE, 4);
    await step(expiresAt - 1 * DAY + MINUTE, 5);
    await step(expiresAt + MINUTE, 6);
    expect(sent()).toEqual([
      ['token.expiring', 'short', 1],
      ['token.expired', 'short', null],
      ['token.expiring', 'quarterly', 14],
      ['token.expiring', 'quarterly', 7],
      ['token.expiring', 'quarterly', 1],
      ['token.expired', 'quarterly', null],
    ]);
    const warned = receiver.events('token.expiring')[1]!;
    expect(warned.event!.data).toMatchObject({ token: { id: t.id, name: 'quarterly', status: 'active' }, actor: null, expires_at: new Date(expiresAt).toISOString() });
    const expired = receiver.events('token.expired')[1]!;
    expect(expired.event!.data).toMatchObject({ token: { id: t.id, status: 'expired' }, expired_at: new Date(expiresAt).toISOString() });
    expect(receiver.received.every((r) => r.error === null)).toBe(true);
    expect(short.id).toMatch(/^tok_/);
  });

  it('a threshold crossed while the server was down is sent after the next start', async () => {
    let now = Date.UTC(2031, 5, 1, 8);
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const first = await startTestServer({ allowPrivateWebhooks: true }, {}, { clock: () => now, webhookTimings: FAST });
    cleanup.push(() => first.destroy());
    await subscribe(first, first.adminSecret, receiver, ['token.expiring']);
    const t = await issue(first, { scopes: ['tokens:read'], expires_at: new Date(now + 10 * DAY).toISOString() });
    await settle();
    await first.close();
    expect(receiver.received).toEqual([]);

    now += 5 * DAY; // the 7-day threshold passed while it was down
    const again = await startServer(
      { port: 0, host: '127.0.0.1', db: first.dbPath, secretPrefix: 'tkn', trustProxy: [], logLevel: 'silent', allowPrivateWebhooks: true },
      { stderr: process.stderr, env: {}, logger: pino({ level: 'silent' }), clock: () => now, webhookTimings: FAST },
    );
    cleanup.push(() => again.close());
    await receiver.waitFor(() => receiver.events('token.expiring').length === 1);
    await settle();
    expect(receiver.events('token.expiring').map((r) => [r.event!.data.token.id, r.event!.data.days_before])).toEqual([[t.id, 7]]);
  });
});

describe('auth.denied.burst', () => {
  it('is sent once when one token is refused more than --burst-threshold times within a minute', async () => {
    let now = Date.UTC(2031, 7, 1, 9);
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const server: TestServer = await startTestServer({ allowPrivateWebhooks: true, burstThreshold: 3 }, {}, { clock: () => now, webhookTimings: FAST });
    cleanup.push(() => server.destroy());
    await subscribe(server, server.adminSecret, receiver, ['auth.denied.burst']);
    const gateway = await issue(server, { scopes: ['verify'] });
    const t = await issue(server, { name: 'guessed', scopes: ['tokens:read'] });
    const refuse = async (n: number) => {
      for (let i = 0; i < n; i++) expect((await introspect(server, gateway.secret, { token: t.secret, scope: 'verify' })).body.active).toBe(false);
      // Reading the usage writes this instance's pending counts (where bursts are seen) at once.
      await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}/usage`);
    };
    await refuse(3);
    await settle();
    expect(receiver.received).toEqual([]);
    await refuse(2);
    await receiver.waitFor(() => receiver.events('auth.denied.burst').length === 1);
    expect(receiver.events('auth.denied.burst')[0]!.event!.data).toMatchObject({
      token: { id: t.id, name: 'guessed' },
      refused: 5,
      window_seconds: 60,
      threshold: 3,
      refusals: { scope: 5, revoked: 0 },
    });
    await refuse(5);
    await settle();
    expect(receiver.events('auth.denied.burst')).toHaveLength(1);
    now += 61_000;
    await refuse(4);
    await receiver.waitFor(() => receiver.events('auth.denied.burst').length === 2);
    expect(receiver.events('auth.denied.burst')[1]!.event!.data.refused).toBe(4);
  });
});
