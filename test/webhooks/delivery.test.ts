// Webhooks end to end (README "Webhooks"): a real receiver verifies every delivery with the
// `standardwebhooks` library; forged and stale deliveries fail that check; receivers that fail,
// hang or redirect are retried without slowing the API; the secret is shown once and kept sealed.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { runCleanups } from '../helpers/postgres.js';
import { introspect, issue, metric } from '../verify/helpers.js';
import { FAST, startReceiver, type Receiver } from './receiver.js';
import { postOnce } from '../../src/server/webhooks/send.js';


const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

async function setup(timings: Record<string, number> = {}, overrides: Record<string, unknown> = {}) {
  const receiver = await startReceiver();
  cleanup.push(() => receiver.close());
  const server = await startTestServer({ allowPrivateWebhooks: true, ...overrides }, {}, { webhookTimings: { ...FAST, ...timings } });
  cleanup.push(() => server.destroy());
  return { receiver, server };
}

async function addWebhook(server: TestServer, receiver: Receiver, body: Record<string, unknown> = {}) {
  const res = await api(server, server.adminSecret, 'POST', '/v1/webhooks', { url: receiver.url, events: ['token.created', 'token.revoked', 'token.updated'], ...body });
  expect(res.status, res.text).toBe(201);
  receiver.secret = res.body.secret;
  return res.body as { webhook: { id: string }; secret: string };
}

const deliveries = async (server: TestServer, webhookId: string, query = '') =>
  (await api(server, server.adminSecret, 'GET', `/v1/webhooks/${webhookId}/deliveries${query}`)).body.data as Array<Record<string, any>>;

describe('webhook deliveries', () => {
  it('sign every event per Standard Webhooks; the payload carries the token and the actor, never a secret', async () => {
    const { receiver, server } = await setup();
    const { webhook, secret } = await addWebhook(server, receiver);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const made = await issue(server, { scopes: ['tokens:read'], metadata: { team: 'infra' } });
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${made.id}/revoke`, { reason: 'leaked in a log' })).status).toBe(200);
    await receiver.waitFor(() => receiver.events('token.revoked').length === 1);

    expect(receiver.received.every((r) => r.error === null)).toBe(true);
    const revoked = receiver.events('token.revoked')[0]!;
    expect(revoked.id).toMatch(/^msg_/);
    expect(revoked.headers['content-type']).toBe('application/json');
    expect(revoked.event!.data).toMatchObject({
      token: { id: made.id, status: 'revoked', metadata: { team: 'infra' }, revoke_reason: 'leaked in a log' },
      actor: { id: expect.stringMatching(/^tok_/), ip: '127.0.0.1', request_id: expect.any(String) },
      reason: 'leaked in a log',
    });
    const admin = (await api(server, server.adminSecret, 'GET', '/v1/whoami')).body.token.id;
    const created = receiver.events('token.created').find((r) => r.event!.data.token.id === made.id)!;
    expect(created.event!.data).toMatchObject({ token: { status: 'active', scopes: ['tokens:read'], use_count: 0 }, actor: { id: admin } });
    expect(revoked.event!.data.actor.id).toBe(admin);
    for (const r of receiver.received) {
      expect(r.body).not.toContain(made.secret);
      expect(r.body).not.toContain(server.adminSecret);
      expect(r.body).not.toContain(secret);
    }
    // The deliveries are visible, delivered at the first attempt.
    const listed = await deliveries(server, webhook.id);
    expect(listed.find((d) => d.id === revoked.id)).toMatchObject({ event: 'token.revoked', state: 'delivered', attempts: 1, last_status: 200, webhook_id: webhook.id });

    // The audit log names the receiver's host only: a URL's path can be a credential (Slack's are).
    const audited = (await api(server, server.adminSecret, 'GET', '/v1/audit?action=webhook.created')).body.data[0];
    expect(audited.details).toEqual({ host: new URL(receiver.url).host, format: 'standard', events: ['token.created', 'token.revoked', 'token.updated'] });
    expect(JSON.stringify(audited)).not.toContain('/hooks');
    // Shown once: never listed again, and not in the database in clear.
    const list = await api(server, server.adminSecret, 'GET', '/v1/webhooks');
    expect(list.text).not.toContain(secret);
    expect(list.body.data[0]).toEqual({ id: webhook.id, url: receiver.url, format: 'standard', events: ['token.created', 'token.revoked', 'token.updated'], description: '', created_at: expect.any(String), created_by: expect.any(String) });
    await server.close();
    const db = readFileSync(server.dbPath);
    expect(db.includes(Buffer.from(secret))).toBe(false);
    expect(db.includes(Buffer.from(secret.slice(6), 'base64'))).toBe(false);
  });

  it('a forged, re-signed or stale delivery fails the receiver’s check', async () => {
    const { receiver, server } = await setup();
    const { secret } = await addWebhook(server, receiver);
    await issue(server, { scopes: ['tokens:read'] });
    await receiver.waitFor(() => receiver.events('token.created').length === 1);
    const real = receiver.events('token.created')[0]!;
    const check = (body: string, headers: Record<string, string>) => () => new Webhook(secret).verify(body, headers);
    const headers = { 'webhook-id': real.id, 'webhook-timestamp': real.timestamp, 'webhook-signature': real.signature };
    expect(check(real.body, headers)).not.toThrow();
    // A changed body, another message id, or a signature made with another secret.
    expect(check(real.body.replace('token.created', 'token.revoked'), headers)).toThrow();
    expect(check(real.body, { ...headers, 'webhook-id': 'msg_other' })).toThrow();
    const stranger = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    expect(check(real.body, { ...headers, 'webhook-signature': stranger.sign(real.id, new Date(Number(real.timestamp) * 1000), real.body) })).toThrow();
    // Replayed ten minutes later: the signature is right, the timestamp too old.
    const stale = new Date(Date.now() - 10 * 60_000);
    const staleHeaders = { ...headers, 'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(real.id, stale, real.body) };
    expect(check(real.body, staleHeaders)).toThrow(/too old/i);
  });

  it('only the events a webhook asked for; slack format posts readable text', async () => {
    const { receiver, server } = await setup();
    const slack = await startReceiver();
    cleanup.push(() => slack.close());
    await addWebhook(server, receiver, { events: ['token.revoked'] });
    const res = await api(server, server.adminSecret, 'POST', '/v1/webhooks', { url: slack.url, events: ['token.revoked', 'token.suspended'], format: 'slack' });
    slack.secret = res.body.secret;
    const t = await issue(server, { name: 'slack-me', scopes: ['tokens:read'] });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/suspend`);
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`, { reason: 'done <here>' });
    await receiver.waitFor(() => receiver.received.length >= 1);
    await slack.waitFor(() => slack.received.length >= 2);
    expect(receiver.events().map((r) => r.event!.type)).toEqual(['token.revoked']);
    const texts = slack.received.map((r) => JSON.parse(r.body)).map((b) => b.text);
    expect(slack.received.every((r) => r.error === null)).toBe(true);
    const admin = (await api(server, server.adminSecret, 'GET', '/v1/whoami')).body.token.id;
    expect(texts).toEqual([`Token *slack-me* (\`${t.id}\`) was suspended by \`${admin}\`.`, `Token *slack-me* (\`${t.id}\`) was revoked by \`${admin}\` — done &lt;here&gt;.`]);
  });

  it('a receiver that fails is retried with backoff until it answers; the same webhook-id every time', async () => {
    const { receiver, server } = await setup();
    const { webhook } = await addWebhook(server, receiver, { events: ['token.revoked'] });
    let answered = 0;
    receiver.behave(() => (++answered <= 3 ? 503 : 200));
    const t = await issue(server, { scopes: ['tokens:read'] });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await receiver.waitFor((r) => r.length === 4);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
    expect(receiver.received.every((r) => r.event?.type === 'token.revoked')).toBe(true);
    await expect.poll(async () => (await deliveries(server, webhook.id))[0]).toMatchObject({ state: 'delivered', attempts: 4, last_status: 200, last_error: null });
    expect(await metric(server, 'tokens_webhook_attempts_total', { outcome: 'retry' })).toBe(3);
    expect(await metric(server, 'tokens_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
  });

  it('a receiver that is down (nothing listening) is retried until it comes up', async () => {
    const { receiver: placeholder, server } = await setup();
    const port = Number(new URL(placeholder.url).port);
    const { webhook, secret } = await addWebhook(server, placeholder, { events: ['token.revoked'] });
    await placeholder.close();
    const t = await issue(server, { scopes: ['tokens:read'] });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await expect.poll(async () => (await deliveries(server, webhook.id))[0]?.attempts ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const [refused] = await deliveries(server, webhook.id);
    expect(refused).toMatchObject({ state: 'pending', last_status: null });
    expect(refused!.last_error).toContain('ECONNREFUSED');
    const receiver = await startReceiver(port);
    cleanup.push(() => receiver.close());
    receiver.secret = secret;
    await receiver.waitFor(() => receiver.events('token.revoked').length === 1);
    expect(receiver.received[0]!.id).toBe(refused!.id);
    await expect.poll(async () => (await deliveries(server, webhook.id))[0]?.state).toBe('delivered');
  });

  it('a receiver that hangs holds no API call: changes and verifies return while its requests are held', async () => {
    const { receiver, server } = await setup({ timeoutMs: 60_000, concurrency: 2 });
    await addWebhook(server, receiver, { events: ['token.created', 'token.revoked'] });
    receiver.behave('hang');
    const gateway = await issue(server, { scopes: ['verify'] });
    await receiver.waitFor(() => receiver.hanging >= 1);
    // The worker's slots are full of held requests; the API answers as before.
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(await issue(server, { scopes: ['tokens:read'] }));
    for (const t of tokens) expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`)).status).toBe(200);
    expect((await introspect(server, gateway.secret, { token: gateway.secret })).status).toBe(200);
    expect(receiver.hanging).toBe(2);
    const pending = await metric(server, 'tokens_webhook_deliveries', { state: 'pending' });
    expect(pending).toBe(11);
  });

  it('gives up after the retry window and marks the delivery failed, in deliveries and /metrics', async () => {
    const { receiver, server } = await setup({ giveUpMs: 600 });
    const { webhook } = await addWebhook(server, receiver, { events: ['token.revoked'] });
    receiver.behave(500);
    const t = await issue(server, { scopes: ['tokens:read'] });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await expect.poll(async () => (await deliveries(server, webhook.id))[0]?.state, { timeout: 5000 }).toBe('failed');
    const [failed] = await deliveries(server, webhook.id, '?state=failed');
    expect(failed).toMatchObject({ event: 'token.revoked', state: 'failed', last_status: 500, next_attempt_at: null, delivered_at: null });
    expect(failed!.attempts).toBeGreaterThan(1);
    expect(failed!.last_error).toContain('answered 500');
    expect(await metric(server, 'tokens_webhook_deliveries', { state: 'failed' })).toBe(1);
    expect(await metric(server, 'tokens_webhook_attempts_total', { outcome: 'failed' })).toBe(1);
  });

  it('does not follow redirects', async () => {
    const { receiver, server } = await setup({ giveUpMs: 300 });
    const elsewhere = await startReceiver();
    cleanup.push(() => elsewhere.close());
    const { webhook } = await addWebhook(server, receiver, { events: ['token.revoked'] });
    receiver.behave(307);
    const t = await issue(server, { scopes: ['tokens:read'] });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await expect.poll(async () => (await deliveries(server, webhook.id))[0]?.state, { timeout: 5000 }).toBe('failed');
    expect((await deliveries(server, webhook.id))[0]!.last_error).toContain('redirect');
    expect(elsewhere.received).toEqual([]);
  });
});

describe('pepper rotation', () => {
  it('a delivery whose secret was sealed under a pepper version the server no longer has fails, and the server keeps running', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const v1 = `1:${Buffer.alloc(32, 1).toString('base64')}`;
    const v2 = `2:${Buffer.alloc(32, 2).toString('base64')}`;
    const first = await startTestServer({ allowPrivateWebhooks: true }, { TOKENS_PEPPER: v1 }, { webhookTimings: FAST });
    cleanup.push(() => first.destroy());
    await addWebhook(first, receiver, { events: ['token.revoked'] });
    const t = await issue(first, { scopes: ['tokens:read'] });
    receiver.behave('hang');
    await api(first, first.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await receiver.waitFor(() => receiver.hanging === 1);
    // Shutdown hands the delivery in flight back to the outbox.
    await first.close();

    const { startServer } = await import('../../src/server/main.js');
    const { default: pino } = await import('pino');
    const { SqliteStore } = await import('../../src/server/store/sqlite.js');
    const again = await startServer(
      { port: 0, host: '127.0.0.1', db: first.dbPath, secretPrefix: 'tkn', trustProxy: [], logLevel: 'silent', allowPrivateWebhooks: true },
      { stderr: process.stderr, env: { TOKENS_PEPPER: v2 }, logger: pino({ level: 'silent' }), webhookTimings: { ...FAST, giveUpMs: 300 } },
    );
    cleanup.push(() => again.close());
    const store = new SqliteStore(first.dbPath);
    cleanup.push(() => store.close());
    await expect.poll(async () => (await store.listDeliveries({ webhookId: (await store.listWebhooks())[0]!.id, limit: 1 }))[0]?.state, { timeout: 5000 }).toBe('failed');
    const [failed] = await store.listDeliveries({ webhookId: (await store.listWebhooks())[0]!.id, limit: 1 });
    expect(failed!.lastError).toContain('unknown pepper version 1');
    expect((await api(again, null, 'GET', '/healthz')).status).toBe(200);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('server-side request forgery', () => {
  it('refuses loopback, private, link-local and metadata destinations without --allow-private-webhooks', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.destroy());
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://[::1]/x', 'http://10.1.2.3/x', 'http://192.168.0.1/x', 'http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/', 'http://[::ffff:127.0.0.1]/', 'http://100.100.100.200/']) {
      const res = await api(server, server.adminSecret, 'POST', '/v1/webhooks', { url, events: ['token.revoked'] });
      expect([res.status, res.body.code], url).toEqual([400, 'webhook_url_forbidden']);
    }
    for (const url of ['ftp://example.com/', 'http://user:pw@example.com/', 'not a url']) {
      expect((await api(server, server.adminSecret, 'POST', '/v1/webhooks', { url, events: ['token.revoked'] })).status, url).toBe(400);
    }
    expect((await api(server, server.adminSecret, 'GET', '/v1/webhooks')).body.data).toEqual([]);
  });

  it('checks the address a delivery connects to, after resolution (a name that now points inside)', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const url = new URL(receiver.url.replace('127.0.0.1', 'localhost'));
    const refused = await postOnce(url, {}, '{}', { timeoutMs: 1000, allowPrivate: false });
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.error).toMatch(/localhost resolved to (127\.0\.0\.1|::1)/);
    expect((await postOnce(new URL(receiver.url), {}, '{}', { timeoutMs: 1000, allowPrivate: false })).error).toContain('loopback');
    expect(receiver.received).toEqual([]);
    expect((await postOnce(url, {}, '{}', { timeoutMs: 1000, allowPrivate: true })).ok).toBe(true);
  });
});
