// The OpenAPI document is the truth about the API: a client generated from the live document
// (openapi-typescript types, in api-types.ts, kept current by this test; openapi-fetch) calls every
// operation, and every real answer — status, media type, body, headers — is checked against the
// document by an independent validator (contract.ts). @redocly/cli lints the document with its
// recommended rules. A new operation that no test here calls fails the coverage test at the end.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import openapiTS, { astToString } from 'tokens-openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { paths } from './api-types.js';
import { ResponseContract, type Check, type Finding } from './contract.js';

let server: TestServer;
let doc: any;
let contract: ResponseContract;
/** The store's answers fail while this is set (the readiness and verify 503s). */
let storeDown = false;
const checked = new WeakMap<Response, Check>();

const contractCheck: Middleware = {
  async onResponse({ request, schemaPath, response }) {
    checked.set(response, await contract.check(request.method, schemaPath, response));
  },
};

/** A client of the generated types acting with `secret` (or none), every answer checked. */
function clientAs(secret: string | null, headers: Record<string, string> = {}): Client<paths> {
  const client = createClient<paths>({ baseUrl: server.url, headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), ...headers } });
  client.use(contractCheck);
  return client;
}

/** The call answered `status` and the answer is all in the document. */
async function answered<T extends { response: Response }>(call: Promise<T>, status: number): Promise<T> {
  const result = await call;
  const check = checked.get(result.response);
  expect(check, 'the contract check ran').toBeDefined();
  expect(check!.problems.map((p) => p.message)).toEqual([]);
  expect(result.response.status, `${check!.operationId}`).toBe(status);
  return result;
}

let admin: Client<paths>;
const form = (body: Record<string, unknown>) => new URLSearchParams(body as Record<string, string>).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  server = await startTestServer({ trustProxy: ['127.0.0.1'], allowPrivateWebhooks: true }, {}, {
    wrapStore: (sqlite) =>
      new Proxy(sqlite, {
        get(target, prop, receiver) {
          if (storeDown && (prop === 'ping' || prop === 'getTokensByHash')) return async () => Promise.reject(new Error('disk I/O error'));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  });
  doc = await (await fetch(`${server.url}/openapi.json`)).json();
  contract = new ResponseContract(doc);
  admin = clientAs(server.adminSecret);
});

afterAll(async () => {
  contract?.dispose();
  await server?.destroy();
});

describe('the document', () => {
  it('gives the generated client its types: test/openapi/api-types.ts is what openapi-typescript makes of the live document', async () => {
    // After a change to the API: vitest run test/openapi -u rewrites it (CI never does).
    await expect(astToString(await openapiTS(doc))).toMatchFileSnapshot('./api-types.ts');
  });

  it('names every operation, and serves the operations and verify endpoints too', () => {
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, id: op.operationId })),
    );
    expect(operations.filter((o) => !o.id)).toEqual([]);
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
    expect(operations.map((o) => o.key)).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json', 'POST /v1/introspect', 'GET /v1/auth']),
    );
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('describes every error as application/problem+json from shared components (introspection: OAuth errors as application/json, but for 408/414/431), but for answers a route gives in its own form', () => {
    // The readiness probe's 503 is its JSON readiness answer.
    const ownForm = new Set(['getReadiness 503']);
    for (const item of Object.values(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          if (Number(status) < 400 || ownForm.has(`${op.operationId} ${status}`)) continue;
          expect(response.$ref, `${op.operationId} ${status}`).toMatch(/^#\/components\/responses\//);
          const shared = doc.components.responses[response.$ref.split('/').pop()];
          // What node's HTTP server refuses before any route runs (408, 414, 431) is problem+json everywhere.
          const oauth = op.operationId === 'introspectToken' && !['408', '414', '431'].includes(status);
          const [mediaType, schema] = oauth ? ['application/json', 'OAuthError'] : ['application/problem+json', 'Problem'];
          expect(shared.content, `${op.operationId} ${status}`).toEqual({ [mediaType]: { schema: { $ref: `#/components/schemas/${schema}` } } });
        }
      }
    }
  });

  it('is clean under @redocly/cli lint with the recommended rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-redocly-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
      for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml']) copyFileSync(join(import.meta.dirname, file), join(dir, file));
      const redocly = join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');
      const result = await promisify(execFile)(process.execPath, [redocly, 'lint', 'openapi.json', '--format=stylish'], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      }).catch((err: { stdout: string; stderr: string }) => err);
      const output = `${result.stdout}\n${result.stderr}`;
      expect(output).toContain('Woohoo! Your API description is valid.');
      expect(output).not.toMatch(/warning|error/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every operation through the generated client, every answer in the document', () => {
  let reader: { id: string; secret: string };
  let gateway: { id: string; secret: string };

  it('whoami: 200; no token or a wrong one: 401 with a Bearer challenge', async () => {
    const me = await answered(admin.GET('/v1/whoami'), 200);
    expect(me.data!.token.scopes).toEqual(['management']);
    const none = await answered(clientAs(null).GET('/v1/whoami'), 401);
    expect(none.error!.code).toBe('unauthenticated');
    expect(none.response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    await answered(clientAs('tkn_not-a-token').GET('/v1/whoami'), 401);
  });

  it('scopes: create 201, again 409; list 200; delete 204, unknown 404', async () => {
    await answered(admin.POST('/v1/scopes', { body: { name: 'query', description: 'run queries' } }), 201);
    await answered(admin.POST('/v1/scopes', { body: { name: 'query' } }), 409);
    await answered(admin.POST('/v1/scopes', { body: { name: 'scratch' } }), 201);
    const list = await answered(admin.GET('/v1/scopes'), 200);
    expect(list.data!.data.map((s) => s.name)).toEqual(expect.arrayContaining(['management', 'query', 'scratch']));
    await answered(admin.DELETE('/v1/scopes/{name}', { params: { path: { name: 'scratch' } } }), 204);
    await answered(admin.DELETE('/v1/scopes/{name}', { params: { path: { name: 'scratch' } } }), 404);
  });

  it('create: 201, replayed by Idempotency-Key, 422 for the key with another body; 400, 409, 413, 415; 403 without the scope', async () => {
    const created = await answered(admin.POST('/v1/tokens', { body: { name: 'reader', scopes: ['tokens:read'] } }), 201);
    reader = { id: created.data!.token.id, secret: created.data!.secret };
    const gw = await answered(admin.POST('/v1/tokens', { body: { name: 'gateway', scopes: ['verify'] } }), 201);
    gateway = { id: gw.data!.token.id, secret: gw.data!.secret };

    const first = await answered(admin.POST('/v1/tokens', { params: { header: { 'idempotency-key': 'openapi-1' } }, body: { name: 'idem', scopes: ['query'] } }), 201);
    const replay = await answered(admin.POST('/v1/tokens', { params: { header: { 'idempotency-key': 'openapi-1' } }, body: { name: 'idem', scopes: ['query'] } }), 201);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.data!.secret).toBe(first.data!.secret);
    await answered(admin.POST('/v1/tokens', { params: { header: { 'idempotency-key': 'openapi-1' } }, body: { name: 'idem-2', scopes: ['query'] } }), 422);

    const invalid = await answered(admin.POST('/v1/tokens', { body: { name: 'bad', scopes: [] } }), 400);
    expect(invalid.error!.errors![0]!.field).toBe('scopes');
    await answered(admin.POST('/v1/tokens', { body: { name: 'reader', scopes: ['tokens:read'] } }), 409);
    await answered(admin.POST('/v1/tokens', { body: { name: 'big', scopes: ['query'], description: 'x'.repeat(300 * 1024) } }), 413);
    await answered(admin.POST('/v1/tokens', { body: { name: 'text', scopes: ['query'] }, bodySerializer: () => 'name=text', headers: { 'content-type': 'text/plain' } }), 415);
    await answered(clientAs(reader.secret).POST('/v1/tokens', { body: { name: 'escalate', scopes: ['management'] } }), 403);
  });

  it('list: 200 with filters, 400 for a bad one; show: 200 with ETag, 404', async () => {
    const list = await answered(admin.GET('/v1/tokens', { params: { query: { scope: 'tokens:read', limit: 10 } } }), 200);
    expect(list.data!.data.map((t) => t.name)).toContain('reader');
    await answered(admin.GET('/v1/tokens', { params: { query: { limit: 0 } } }), 400);
    const shown = await answered(admin.GET('/v1/tokens/{id}', { params: { path: { id: reader.id } } }), 200);
    expect(shown.response.headers.get('etag')).toBe(`"${shown.data!.version}"`);
    await answered(admin.GET('/v1/tokens/{id}', { params: { path: { id: 'tok_00000000000000000000000000' } } }), 404);
    // A path parameter past the router's limit: 414, in the documented problem form.
    await answered(admin.GET('/v1/tokens/{id}', { params: { path: { id: 'x'.repeat(201) } } }), 414);
  });

  it('update: 200 with the new ETag, 412 when If-Match is stale; scopes: 200', async () => {
    const updated = await answered(
      admin.PATCH('/v1/tokens/{id}', { params: { path: { id: reader.id }, header: { 'if-match': '"1"' } }, body: { description: 'reads tokens' } }),
      200,
    );
    expect(updated.response.headers.get('etag')).toBe('"2"');
    await answered(admin.PATCH('/v1/tokens/{id}', { params: { path: { id: reader.id }, header: { 'if-match': '"1"' } }, body: { description: 'again' } }), 412);
    const edited = await answered(admin.POST('/v1/tokens/{id}/scopes', { params: { path: { id: reader.id } }, body: { add: ['query'] } }), 200);
    expect(edited.data!.scopes).toEqual(['tokens:read', 'query']);
  });

  it('rotate: 201, then 409 for the rotated token; pending rotations completed (again: 200) and aborted; 409 with none pending', async () => {
    const t = await answered(admin.POST('/v1/tokens', { body: { name: 'rotating', scopes: ['query'] } }), 201);
    const rotated = await answered(admin.POST('/v1/tokens/{id}/rotate', { params: { path: { id: t.data!.token.id } }, body: { overlap_seconds: 60 } }), 201);
    expect(rotated.data!.predecessor.rotated_to).toBe(rotated.data!.token.id);
    await answered(admin.POST('/v1/tokens/{id}/rotate', { params: { path: { id: t.data!.token.id } }, body: {} }), 409);

    const next = rotated.data!.token.id;
    await answered(admin.POST('/v1/tokens/{id}/rotate', { params: { path: { id: next } }, body: { pending: true } }), 201);
    const completed = await answered(admin.POST('/v1/tokens/{id}/rotate/complete', { params: { path: { id: next } }, body: {} }), 200);
    const successor = completed.data!.successor.id;
    // Completing again is a success that changes nothing; a token with no rotation has none to complete.
    await answered(admin.POST('/v1/tokens/{id}/rotate/complete', { params: { path: { id: next } }, body: {} }), 200);
    await answered(admin.POST('/v1/tokens/{id}/rotate/complete', { params: { path: { id: successor } }, body: {} }), 409);
    await answered(admin.POST('/v1/tokens/{id}/rotate', { params: { path: { id: successor } }, body: { pending: true } }), 201);
    const aborted = await answered(admin.POST('/v1/tokens/{id}/rotate/abort', { params: { path: { id: successor } }, body: { reason: 'delivery failed' } }), 200);
    expect(aborted.data!.successor.status).toBe('revoked');
  });

  it('suspend, resume, revoke: 200; resuming a revoked token: 409; revoke by value: 200', async () => {
    const t = await answered(admin.POST('/v1/tokens', { body: { name: 'lifecycle', scopes: ['query'] } }), 201);
    const id = t.data!.token.id;
    expect((await answered(admin.POST('/v1/tokens/{id}/suspend', { params: { path: { id } }, body: { reason: 'drill' } }), 200)).data!.status).toBe('suspended');
    expect((await answered(admin.POST('/v1/tokens/{id}/resume', { params: { path: { id } }, body: {} }), 200)).data!.status).toBe('active');
    expect((await answered(admin.POST('/v1/tokens/{id}/revoke', { params: { path: { id } }, body: { reason: 'drill' } }), 200)).data!.status).toBe('revoked');
    await answered(admin.POST('/v1/tokens/{id}/resume', { params: { path: { id } }, body: {} }), 409);
    const leaked = await answered(admin.POST('/v1/tokens', { body: { name: 'leaked', scopes: ['query'] } }), 201);
    const looked = await answered(clientAs(reader.secret).POST('/v1/tokens/lookup-by-value', { body: { secrets: [leaked.data!.secret, 'tkn_nope'] } }), 200);
    expect(looked.data!.results.map((r) => [r.result, r.live])).toEqual([['found', true], ['malformed', false]]);
    await answered(clientAs(gateway.secret).POST('/v1/tokens/lookup-by-value', { body: { secrets: [leaked.data!.secret] } }), 403);
    const byValue = await answered(admin.POST('/v1/tokens/revoke-by-value', { body: { secrets: [leaked.data!.secret, 'tkn_nope'], reason: 'pasted in chat' } }), 200);
    expect(byValue.data!.results.map((r) => r.result)).toEqual(['revoked', 'malformed']);
  });

  it('audit: 200, 400 for a bad filter; export: 200, 403 without management', async () => {
    const audit = await answered(admin.GET('/v1/audit', { params: { query: { action: 'token.revoked', order: 'desc' } } }), 200);
    expect(audit.data!.data.length).toBeGreaterThan(0);
    await answered(admin.GET('/v1/audit', { params: { query: { since: 'yesterday' } } }), 400);
    const exported = await answered(admin.GET('/v1/export'), 200);
    expect(exported.data!.tokens.length).toBeGreaterThan(3);
    await answered(clientAs(reader.secret).GET('/v1/export'), 403);
  });

  it('policies: set 200, 400 and 403; a create breaking one 422 with its violations; list 200; remove 204, then 404', async () => {
    const set = await answered(admin.PUT('/v1/policies/{scope}', { params: { path: { scope: 'query' } }, body: { max_ttl_seconds: 86_400, require_cidr: true } }), 200);
    expect(set.data).toMatchObject({ scope: 'query', max_ttl_seconds: 86_400, require_cidr: true, require_owner: false });
    await answered(admin.PUT('/v1/policies/{scope}', { params: { path: { scope: 'query' } }, body: {} }), 400);
    await answered(clientAs(reader.secret).PUT('/v1/policies/{scope}', { params: { path: { scope: 'query' } }, body: { require_owner: true } }), 403);
    const refused = await answered(admin.POST('/v1/tokens', { body: { name: 'unruly', scopes: ['query'] } }), 422);
    expect(refused.error!.code).toBe('policy_violation');
    expect(refused.error!.violations!.map((v) => `${v.scope} ${v.rule}`)).toEqual(['query max_ttl', 'query require_cidr']);
    const listed = await answered(clientAs(reader.secret).GET('/v1/policies'), 200);
    expect(listed.data!.data.map((p) => p.scope)).toEqual(['query']);
    await answered(admin.DELETE('/v1/policies/{scope}', { params: { path: { scope: 'query' } } }), 204);
    await answered(admin.DELETE('/v1/policies/{scope}', { params: { path: { scope: 'query' } } }), 404);
  });

  it('export with digests: 200; import: 200 (dry run and real), 400 for a bad file, 422 for a pepper this server lacks', async () => {
    const backup = await answered(admin.GET('/v1/export', { params: { query: { include_hashes: true } } }), 200);
    expect(backup.data!.include_hashes).toBe(true);
    const dry = await answered(admin.POST('/v1/import', { params: { query: { dry_run: true } }, body: backup.data! }), 200);
    expect(dry.data!.summary.skipped).toBe(backup.data!.tokens.length + 1);
    await answered(admin.POST('/v1/import', { body: backup.data! }), 200);
    await answered(admin.POST('/v1/import', { body: { ...backup.data!, schema_version: 7 } }), 400);
    const otherPepper = { ...backup.data!, tokens: backup.data!.tokens.map((t) => ({ ...t, restore: { ...t.restore!, pepper_version: 9 } })) };
    const refused = await answered(admin.POST('/v1/import', { body: otherPepper }), 422);
    expect(refused.error!.code).toBe('unknown_pepper_version');
  });

  it('introspect: 200 active and inactive (form and JSON), with Retry-After over a rate limit; 401; 503 when the store fails', async () => {
    const verifier = clientAs(gateway.secret);
    const limited = await answered(admin.POST('/v1/tokens', { body: { name: 'limited', scopes: ['query'], rate_limit: { requests: 1, per_seconds: 3600 } } }), 201);
    const active = await answered(verifier.POST('/v1/introspect', { body: { token: limited.data!.secret }, bodySerializer: form, headers: FORM }), 200);
    expect(active.data).toMatchObject({ active: true, client_id: limited.data!.token.id });
    const over = await answered(verifier.POST('/v1/introspect', { body: { token: limited.data!.secret } }), 200);
    expect(over.data).toEqual({ active: false, reason: 'rate_limited' });
    expect(over.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await answered(verifier.POST('/v1/introspect', { body: { token: 'tkn_nope' } }), 200)).data).toEqual({ active: false });
    const refused = await answered(clientAs(null).POST('/v1/introspect', { body: { token: 'tkn_nope' }, bodySerializer: form, headers: FORM }), 401);
    expect(refused.error).toMatchObject({ error: 'invalid_client', code: 'unauthenticated' });
    await answered(clientAs(reader.secret).POST('/v1/introspect', { body: { token: 'tkn_nope' } }), 403);
    // client_secret_basic and client_secret_post (RFC 6749 §2.3.1), and their refusals.
    const basic = (secret: string) => clientAs(null, { authorization: `Basic ${Buffer.from(`edge:${secret}`).toString('base64')}` });
    const unlimited = await answered(admin.POST('/v1/tokens', { body: { name: 'unlimited', scopes: ['query'] } }), 201);
    const viaBasic = await answered(basic(gateway.secret).POST('/v1/introspect', { body: { token: unlimited.data!.secret }, bodySerializer: form, headers: FORM }), 200);
    expect(viaBasic.data).toMatchObject({ active: true, sub: unlimited.data!.token.id, username: 'unlimited' });
    const wrongBasic = await answered(basic('tkn_nope').POST('/v1/introspect', { body: { token: 'tkn_nope' }, bodySerializer: form, headers: FORM }), 401);
    expect(wrongBasic.response.headers.get('www-authenticate')).toBe('Basic realm="tokens", error="invalid_client"');
    await answered(clientAs(null).POST('/v1/introspect', { body: { token: 'tkn_nope', client_id: 'edge', client_secret: gateway.secret }, bodySerializer: form, headers: FORM }), 200);
    await answered(verifier.POST('/v1/introspect', { body: { token: 'x'.repeat(5000) } }), 400);
    // The metadata that points OAuth clients here (RFC 8414).
    const metadata = await answered(clientAs(null).GET('/.well-known/oauth-authorization-server'), 200);
    expect(metadata.data!.introspection_endpoint).toBe(`${server.url}/v1/introspect`);

    const fresh = await answered(admin.POST('/v1/tokens', { body: { name: 'uncached', scopes: ['query'] } }), 201);
    storeDown = true;
    try {
      await answered(verifier.POST('/v1/introspect', { body: { token: fresh.data!.secret } }), 503);
      await answered(clientAs(null).GET('/readyz'), 503);
    } finally {
      storeDown = false;
    }
  });

  it('forward-auth: 200 with X-Token-Id and X-Token-Scopes; 401, 403, 429; 400 for a bad query', async () => {
    const t = await answered(admin.POST('/v1/tokens', { body: { name: 'client', scopes: ['query'], rate_limit: { requests: 2, per_seconds: 3600 } } }), 201);
    const gatewayAsking = (client: string) => clientAs(null, { authorization: `Bearer ${client}`, 'x-verifier-token': gateway.secret });
    const ok = await answered(gatewayAsking(t.data!.secret).GET('/v1/auth', { params: { query: { scope: ['query'] } } }), 200);
    expect(ok.response.headers.get('x-token-id')).toBe(t.data!.token.id);
    expect(ok.response.headers.get('x-token-scopes')).toBe('query');
    const missing = await answered(gatewayAsking(t.data!.secret).GET('/v1/auth', { params: { header: { 'x-required-scope': 'invoice:read' } } }), 403);
    expect(missing.error!.code).toBe('insufficient_scope');
    await answered(gatewayAsking(t.data!.secret).GET('/v1/auth'), 200);
    await answered(gatewayAsking(t.data!.secret).GET('/v1/auth'), 429);
    await answered(gatewayAsking('tkn_nope').GET('/v1/auth'), 401);
    await answered(gatewayAsking(t.data!.secret).GET('/v1/auth', { params: { query: { audience: 'a', scope: Array(65).fill('query') } } }), 400);
  });

  it('usage: a token\'s history 200, 400 for a bad span, 403, 404; the ranking 200, 400', async () => {
    const history = await answered(admin.GET('/v1/tokens/{id}/usage', { params: { path: { id: gateway.id }, query: { granularity: 'day' } } }), 200);
    expect(history.data!.buckets.length).toBe(31);
    expect(history.data!.totals.uses).toBeGreaterThan(0);
    await answered(admin.GET('/v1/tokens/{id}/usage', { params: { path: { id: gateway.id }, query: { since: '2031-01-02T00:00:00Z', until: '2031-01-01T00:00:00Z' } } }), 400);
    await answered(admin.GET('/v1/tokens/{id}/usage', { params: { path: { id: 'tok_00000000000000000000000000' } } }), 404);
    await answered(clientAs(gateway.secret).GET('/v1/tokens/{id}/usage', { params: { path: { id: gateway.id } } }), 403);
    const ranking = await answered(admin.GET('/v1/usage', { params: { query: { top: 3 } } }), 200);
    expect(ranking.data!.most_used.length).toBeGreaterThan(0);
    await answered(admin.GET('/v1/usage', { params: { query: { top: 0 } } }), 400);
  });

  it('webhooks: add 201 (400 for a URL it refuses), list and show 200, test 202, deliveries 200, remove 204, then 404', async () => {
    const added = await answered(admin.POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['token.revoked'], format: 'slack', description: 'nobody listens' } }), 201);
    expect(added.data!.secret).toMatch(/^whsec_/);
    const id = added.data!.webhook.id;
    await answered(admin.POST('/v1/webhooks', { body: { url: 'ftp://example.com/', events: ['token.revoked'] } }), 400);
    await answered(clientAs(reader.secret).POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['token.revoked'] } }), 403);
    expect((await answered(admin.GET('/v1/webhooks'), 200)).data!.data.map((w) => w.id)).toContain(id);
    expect((await answered(admin.GET('/v1/webhooks/{id}', { params: { path: { id } } }), 200)).data!.format).toBe('slack');
    const queued = await answered(admin.POST('/v1/webhooks/{id}/test', { params: { path: { id } } }), 202);
    expect(queued.data).toMatchObject({ event: 'webhook.test', state: 'pending', webhook_id: id });
    const listed = await answered(admin.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 10 } } }), 200);
    expect(listed.data!.data.map((d) => d.id)).toContain(queued.data!.id);
    await answered(admin.DELETE('/v1/webhooks/{id}', { params: { path: { id } } }), 204);
    await answered(admin.GET('/v1/webhooks/{id}', { params: { path: { id } } }), 404);
    await answered(admin.POST('/v1/webhooks/{id}/test', { params: { path: { id } } }), 404);
    await answered(admin.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id } } }), 404);
    await answered(admin.DELETE('/v1/webhooks/{id}', { params: { path: { id } } }), 404);
  });

  it('console session: sign-in 201 with its cookie, 401, 403; the session 200 (404 for a bearer token); its event stream until sign-out 204; then 401', async () => {
    const anyone = clientAs(null);
    const signedIn = await answered(anyone.POST('/v1/session', { body: { secret: reader.secret } }), 201);
    const cookie = signedIn.response.headers.get('set-cookie')!.split(';')[0]!;
    expect(signedIn.data!.token.id).toBe(reader.id);
    await answered(anyone.POST('/v1/session', { body: { secret: 'tkn_wrong' } }), 401);
    await answered(clientAs(null, { origin: 'http://evil.example' }).POST('/v1/session', { body: { secret: reader.secret } }), 403);
    const session = clientAs(null, { cookie });
    const info = await answered(session.GET('/v1/session'), 200);
    await answered(admin.GET('/v1/session'), 404);
    // The stream stays open until the session ends: sign out meanwhile, and it answers in full.
    const events = answered(session.GET('/v1/session/events', { parseAs: 'text' }), 200);
    await new Promise((r) => setTimeout(r, 200));
    await answered(session.DELETE('/v1/session', { params: { header: { 'x-csrf-token': info.data!.session.csrf_token } } }), 204);
    expect((await events).data).toContain('event: ended');
    const ended = await answered(session.GET('/v1/session'), 401);
    expect(ended.error!.code).toBe('session_ended');
  });

  it('too many failed authentications from one address: 429 with Retry-After, on the management API as on the rest', async () => {
    const fromOneAddress = (secret: string | null) => clientAs(secret, { 'x-forwarded-for': '203.0.113.77' });
    for (let i = 0; i < 30; i++) await answered(fromOneAddress('tkn_wrong').GET('/v1/whoami'), 401);
    const blocked = await answered(fromOneAddress('tkn_wrong').GET('/v1/whoami'), 429);
    expect(blocked.response.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('health, readiness, metrics and the document itself: 200 without a token', async () => {
    const anyone = clientAs(null);
    expect((await answered(anyone.GET('/healthz'), 200)).data).toEqual({ status: 'ok' });
    expect((await answered(anyone.GET('/readyz'), 200)).data).toMatchObject({ status: 'ready', store: 'sqlite' });
    expect((await answered(anyone.GET('/metrics', { parseAs: 'text' }), 200)).data).toMatch(/^# TYPE tokens_http_requests_total counter$/m);
    expect((await answered(anyone.GET('/openapi.json'), 200)).data).toMatchObject({ openapi: '3.1.0' });
  });
});

describe('coverage', () => {
  it('called every operation in the document and met 0 undocumented statuses, media types or headers', () => {
    const called = new Set(contract.checks.map((c) => c.operationId));
    expect(contract.operationIds().filter((id) => !called.has(id)), 'operations no test here calls').toEqual([]);
    const findings: Record<Finding, number> = { status: 0, 'media type': 0, body: 0, header: 0 };
    for (const check of contract.checks) for (const p of check.problems) findings[p.kind]++;
    const statuses = [...new Set(contract.checks.map((c) => c.status))].sort((a, b) => a - b);
    console.info(
      `${contract.checks.length} answers from ${called.size} operations (statuses ${statuses.join(', ')}): ` +
        `${findings.status} undocumented statuses, ${findings['media type']} undocumented media types, ${findings.header} undocumented or wrong headers, ${findings.body} bodies off their schema`,
    );
    expect(findings).toEqual({ status: 0, 'media type': 0, body: 0, header: 0 });
  });
});
