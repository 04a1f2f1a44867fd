// Usage quotas on one instance (README "Limits and quotas"): max_uses admitted verifies exactly,
// single-use tokens, refills, what an exhausted token answers, where the count shows, and changes.
import { describe, expect, it } from 'vitest';
import { api, startTestServer } from '../helpers/server.js';
import { forwardAuth, introspect, issue, metric, serverWithGateway } from './helpers.js';

const env = serverWithGateway();

describe('usage quotas', () => {
  it('a single-use token is admitted once, however many ask at once; then usage_exceeded', async () => {
    const t = await issue(env.server, { max_uses: 1 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => introspect(env.server, env.gateway.secret, { token: t.secret })));
    expect(answers.filter((a) => a.body.active === true)).toHaveLength(1);
    expect(answers.filter((a) => a.body.active === false).map((a) => a.body)).toEqual(Array(49).fill({ active: false, reason: 'usage_exceeded' }));
    const shown = await api(env.server, env.server.adminSecret, 'GET', `/v1/tokens/${t.id}`);
    expect(shown.body).toMatchObject({ max_uses: 1, uses_remaining: 0, refill: null });
  });

  it('a quota of 1,000 under concurrent load admits exactly 1,000', async () => {
    const t = await issue(env.server, { max_uses: 1000 });
    let admitted = 0;
    let refused = 0;
    // 40 clients at once, 1,320 calls in all.
    const client = async (calls: number) => {
      for (let i = 0; i < calls; i++) {
        const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`);
        if (res.status === 200) admitted++;
        else {
          expect(res.status).toBe(429);
          expect(res.body).toMatchObject({ code: 'usage_exceeded' });
          expect(res.headers.get('retry-after')).toBeNull();
          refused++;
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, () => client(33)));
    expect(admitted).toBe(1000);
    expect(refused).toBe(320);
    expect(await metric(env.server, 'tokens_verify_total', { endpoint: 'auth', reason: 'usage_exceeded' })).toBeGreaterThanOrEqual(refused);
  });

  it('only admitted calls use it up: a call refused for scope takes nothing', async () => {
    const t = await issue(env.server, { max_uses: 2, scopes: ['query'] });
    for (let i = 0; i < 5; i++) expect((await introspect(env.server, env.gateway.secret, { token: t.secret, scope: 'webhook' })).body).toEqual({ active: false });
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body).toEqual({ active: false, reason: 'usage_exceeded' });
  });

  it('raising max_uses adds the difference at once; removing it lifts the quota; refill needs max_uses', async () => {
    const t = await issue(env.server, { max_uses: 1 });
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.reason).toBe('usage_exceeded');
    const raised = await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { max_uses: 3 });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body).toMatchObject({ max_uses: 3, uses_remaining: 2 });
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.reason).toBe('usage_exceeded');
    const lifted = await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { max_uses: null });
    expect(lifted.body).toMatchObject({ max_uses: null, uses_remaining: null, refill: null });
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);

    const bad = await api(env.server, env.server.adminSecret, 'POST', '/v1/tokens', { name: 'refill-alone', scopes: ['tokens:read'], refill: { amount: 1, every: 60 } });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('refill needs max_uses');
    const zero = await api(env.server, env.server.adminSecret, 'POST', '/v1/tokens', { name: 'zero-uses', scopes: ['tokens:read'], max_uses: 0 });
    expect(zero.status).toBe(400);
  });

  it('usage history counts usage_exceeded refusals and shows what is left', async () => {
    const t = await issue(env.server, { max_uses: 2, refill: { amount: 2, every: 3600 } });
    for (let i = 0; i < 4; i++) await introspect(env.server, env.gateway.secret, { token: t.secret });
    const exhausted = await introspect(env.server, env.gateway.secret, { token: t.secret });
    expect(exhausted.body).toEqual({ active: false, reason: 'usage_exceeded' });
    // A refill is coming: Retry-After says when (within the hour).
    const wait = Number(exhausted.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    await new Promise((r) => setTimeout(r, 1200)); // the usage flush
    const usage = await api(env.server, env.server.adminSecret, 'GET', `/v1/tokens/${t.id}/usage`);
    expect(usage.status, usage.text).toBe(200);
    expect(usage.body.quota).toEqual({ max_uses: 2, uses_remaining: 0, refill: { amount: 2, every: 3600 } });
    expect(usage.body.totals).toMatchObject({ uses: 2, refusals: { usage_exceeded: 3 } });
  });
});

describe('refills', () => {
  it('gives back `amount` every period, never above max_uses', async () => {
    let now = Date.parse('2031-01-01T00:00:00Z');
    const server = await startTestServer({}, {}, { clock: () => now });
    try {
      const gateway = await issue(server, { scopes: ['verify'] });
      const t = await issue(server, { max_uses: 3, refill: { amount: 2, every: 60 } });
      const call = async () => (await introspect(server, gateway.secret, { token: t.secret })).body.active === true;
      const run = async (n: number) => {
        let ok = 0;
        for (let i = 0; i < n; i++) if (await call()) ok++;
        return ok;
      };
      expect(await run(5)).toBe(3);
      now += 61_000; // past the exhausted recheck and one period: 2 back
      expect(await run(5)).toBe(2);
      now += 10 * 60_000; // ten periods: capped at max_uses
      expect(await run(5)).toBe(3);
      const shown = await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}`);
      expect(shown.body).toMatchObject({ max_uses: 3, uses_remaining: 0, refill: { amount: 2, every: 60 } });
      now += 120_000;
      expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}`)).body.uses_remaining).toBe(3);
    } finally {
      await server.destroy();
    }
  });

  it('a rotated token keeps what is left of the quota', async () => {
    const t = await issue(env.server, { max_uses: 5 });
    for (let i = 0; i < 2; i++) expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    // Leased uses go back when the token changes (the rotation changes it) — the successor starts from the store's count.
    const rotated = await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/rotate`, {});
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.token).toMatchObject({ max_uses: 5 });
    expect(rotated.body.token.uses_remaining).toBeLessThanOrEqual(3);
  });
});

describe('export and import', () => {
  it('carry max_uses, the refill and the uses left', async () => {
    const made = await api(env.server, env.server.adminSecret, 'POST', '/v1/tokens', { name: 'quota-backup', scopes: ['tokens:read'], max_uses: 10, refill: { amount: 5, every: 86400 } });
    expect(made.status, made.text).toBe(201);
    for (let i = 0; i < 3; i++) expect((await introspect(env.server, env.gateway.secret, { token: made.body.secret })).body.active).toBe(true);
    // The change gives the lease back; the export then has the store's count.
    await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${made.body.token.id}`, { description: 'backed up' });
    const exported = await api(env.server, env.server.adminSecret, 'GET', '/v1/export');
    expect(exported.status, exported.text).toBe(200);
    const entry = exported.body.tokens.find((t: { id: string }) => t.id === made.body.token.id);
    expect(entry).toMatchObject({ max_uses: 10, refill: { amount: 5, every: 86400 }, uses_remaining: 7 });
    const target = await startTestServer();
    try {
      const doc = { ...exported.body, tokens: [entry] };
      const imported = await api(target, target.adminSecret, 'POST', '/v1/import', doc);
      expect(imported.status, imported.text).toBe(200);
      const restored = await api(target, target.adminSecret, 'GET', `/v1/tokens/${entry.id}`);
      expect(restored.body).toMatchObject({ max_uses: 10, refill: { amount: 5, every: 86400 }, uses_remaining: 7 });
    } finally {
      await target.destroy();
    }
  });
});

describe('webhooks', () => {
  it('token.quota_exhausted goes to the webhooks that want it, once, when the last use is taken', async () => {
    const server = await startTestServer({ allowPrivateWebhooks: true });
    try {
      const hook = await api(server, server.adminSecret, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['token.quota_exhausted'] });
      expect(hook.status, hook.text).toBe(201);
      const gateway = await issue(server, { scopes: ['verify'] });
      const t = await issue(server, { max_uses: 3 });
      for (let i = 0; i < 6; i++) await introspect(server, gateway.secret, { token: t.secret });
      let events: { event: string; payload?: string }[] = [];
      for (let i = 0; i < 50 && !events.length; i++) {
        events = (await api(server, server.adminSecret, 'GET', `/v1/webhooks/${hook.body.webhook.id}/deliveries`)).body.data;
        if (!events.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(events.map((e) => e.event)).toEqual(['token.quota_exhausted']);
      const audit = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${t.id}&action=token.quota_exhausted`);
      expect(audit.body.data).toHaveLength(1);
      expect(audit.body.data[0]).toMatchObject({ actor: null, details: { max_uses: 3, refill: null, next_refill_at: null } });
    } finally {
      await server.destroy();
    }
  });
});
