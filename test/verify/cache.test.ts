// The verify cache: a change made through the API is seen by the very next verify, one store query
// per digest however many ask at once, and malformed tokens never reach the store.
import { describe, expect, it } from 'vitest';
import { withTypo } from '../helpers/secrets.js';
import { api } from '../helpers/server.js';
import { forwardAuth, introspect, issue, metric, serverWithGateway, wellFormedUnknownSecret } from './helpers.js';

const env = serverWithGateway();

const storeQueries = () => metric(env.server, 'tokens_verify_store_queries_total');
const active = async (t: { secret: string }, fields: Record<string, string> = {}) => (await introspect(env.server, env.gateway.secret, { token: t.secret, ...fields })).body.active as boolean;

describe('a change is visible to the next verify on this instance', () => {
  it('revoke', async () => {
    const t = await issue(env.server);
    expect(await active(t)).toBe(true);
    expect(await active(t)).toBe(true); // now cached
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`, { reason: 'leaked' });
    expect(await active(t)).toBe(false);
  });

  it('revoke by value', async () => {
    const t = await issue(env.server);
    expect(await active(t)).toBe(true);
    await api(env.server, env.server.adminSecret, 'POST', '/v1/tokens/revoke-by-value', { secrets: [t.secret] });
    expect(await active(t)).toBe(false);
  });

  it('suspend, then resume', async () => {
    const t = await issue(env.server);
    expect(await active(t)).toBe(true);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/suspend`, {});
    expect(await active(t)).toBe(false);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/resume`, {});
    expect(await active(t)).toBe(true);
  });

  it('scope changes', async () => {
    const t = await issue(env.server, { scopes: ['query', 'messaging'] });
    expect(await active(t, { scope: 'messaging' })).toBe(true);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/scopes`, { remove: ['messaging'] });
    expect(await active(t, { scope: 'messaging' })).toBe(false);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.scope).toBe('query');
  });

  it('patches: CIDRs, audiences, rate limit, expiry', async () => {
    const t = await issue(env.server);
    expect(await active(t, { ip: '192.0.2.1', audience: 'billing' })).toBe(true);
    await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { allowed_cidrs: ['10.0.0.0/8'] });
    expect(await active(t, { ip: '192.0.2.1' })).toBe(false);
    expect(await active(t, { ip: '10.0.0.1' })).toBe(true);
    await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { audiences: ['search'] });
    expect(await active(t, { ip: '10.0.0.1', audience: 'billing' })).toBe(false);
    await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { rate_limit: { requests: 1, per_seconds: 3600 } });
    expect(await active(t, { ip: '10.0.0.1' })).toBe(true);
    expect(await active(t, { ip: '10.0.0.1' })).toBe(false);
    const exp = new Date(Date.now() + 3_600_000);
    await api(env.server, env.server.adminSecret, 'PATCH', `/v1/tokens/${t.id}`, { expires_at: exp.toISOString(), rate_limit: null });
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret, ip: '10.0.0.1' })).body.exp).toBe(Math.floor(exp.getTime() / 1000));
  });

  it('rotate: with no overlap the old secret stops at once, the new one works', async () => {
    const t = await issue(env.server);
    expect(await active(t)).toBe(true);
    const rotation = await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 0 });
    expect(await active(t)).toBe(false);
    expect(await active({ secret: rotation.body.secret })).toBe(true);
  });

  it('rotate with an overlap: the old token answers the new exp at once', async () => {
    const t = await issue(env.server);
    expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.exp).toBeUndefined();
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 3600 });
    const after = await introspect(env.server, env.gateway.secret, { token: t.secret });
    expect(after.body.active).toBe(true);
    expect(after.body.exp).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it('the forward-auth endpoint sees it too', async () => {
    const t = await issue(env.server);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`)).status).toBe(200);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`, {});
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`)).status).toBe(401);
  });
});

describe('store queries', () => {
  it('a cached token costs none; a cold one costs one', async () => {
    const t = await issue(env.server);
    await active(env.gateway); // the caller's own token is warm from here on
    const before = await storeQueries();
    const hitsBefore = await metric(env.server, 'tokens_verify_cache_hits_total');
    expect(await active(t)).toBe(true);
    expect(await storeQueries()).toBe(before + 1);
    for (let i = 0; i < 5; i++) expect(await active(t)).toBe(true);
    expect(await storeQueries()).toBe(before + 1);
    expect(await metric(env.server, 'tokens_verify_cache_hits_total')).toBeGreaterThanOrEqual(hitsBefore + 5);
  });

  it('unknown secrets are remembered as misses', async () => {
    const unknown = { id: '', secret: wellFormedUnknownSecret('tkn') };
    const before = await storeQueries();
    for (let i = 0; i < 5; i++) expect(await active(unknown)).toBe(false);
    expect(await storeQueries()).toBe(before + 1);
  });

  it('many concurrent verifies of one cold token make one store query', async () => {
    const t = await issue(env.server);
    await active(env.gateway);
    const before = await storeQueries();
    const answers = await Promise.all(Array.from({ length: 50 }, () => active(t)));
    expect(answers.every(Boolean)).toBe(true);
    expect(await storeQueries()).toBe(before + 1);
  });

  it('malformed tokens cost none at all', async () => {
    const t = await issue(env.server);
    await active(env.gateway);
    const before = await storeQueries();
    const malformedBefore = await metric(env.server, 'tokens_verify_total', { endpoint: 'introspect', reason: 'malformed' });
    const bad = [t.secret.slice(0, -1), withTypo(t.secret), 'garbage', '', 'x'.repeat(300), t.secret.replace('tkn_', 'tok_')];
    const rounds = 20;
    for (let i = 0; i < rounds; i++) await Promise.all(bad.map((token) => introspect(env.server, env.gateway.secret, { token })));
    for (const token of bad) expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${token}`)).status).toBe(401);
    expect(await storeQueries()).toBe(before);
    expect(await metric(env.server, 'tokens_verify_total', { endpoint: 'introspect', reason: 'malformed' })).toBe(malformedBefore + rounds * bad.length);
  });

  it('/metrics counts outcomes by reason and names no secret', async () => {
    const t = await issue(env.server);
    await active(t);
    await active(t, { scope: 'nope' });
    const text = await (await fetch(`${env.server.url}/metrics`)).text();
    expect(text).toMatch(/tokens_verify_total\{endpoint="introspect",reason="ok"\} [1-9]/);
    expect(text).toMatch(/tokens_verify_total\{endpoint="introspect",reason="scope"\} [1-9]/);
    expect(text).toMatch(/tokens_verify_cache_entries \d+/);
    expect(text).toMatch(/tokens_http_requests_total\{method="POST",route="\/v1\/introspect",status="200"\} [1-9]/);
    expect(text).not.toContain(t.secret);
    expect(text).not.toContain(env.gateway.secret);
  });
});
