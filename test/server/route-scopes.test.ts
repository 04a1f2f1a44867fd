// The scopes each management route needs say the same in three places: what the server does (a token
// holding one built-in scope calls every route), the OpenAPI document (each operation's `security`
// alternatives) and the README's API table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.destroy());

/** Scopes a route could need; `management` holds them all, so it admits every route. */
const SCOPES = ['tokens:read', 'tokens:write', 'tokens:revoke', 'audit:read', 'verify'];
let counter = 0;

/** Each management route, with a request that its needed scope makes acceptable (ID: a token holding the caller's scope). */
const ROUTES: [method: string, path: string, body?: (scope: string) => unknown][] = [
  ['POST', '/v1/tokens', (scope) => ({ name: `made-${++counter}`, scopes: [scope] })],
  ['GET', '/v1/tokens'],
  ['GET', '/v1/tokens/{id}'],
  ['PATCH', '/v1/tokens/{id}', () => ({ description: 'changed' })],
  ['POST', '/v1/tokens/{id}/scopes', (scope) => ({ set: [scope] })],
  ['POST', '/v1/tokens/{id}/rotate', () => ({ overlap_seconds: 60 })],
  ['POST', '/v1/tokens/{id}/rotate/complete', () => ({})],
  ['POST', '/v1/tokens/{id}/rotate/abort', () => ({})],
  ['POST', '/v1/tokens/{id}/suspend', () => ({})],
  ['POST', '/v1/tokens/{id}/resume', () => ({})],
  ['POST', '/v1/tokens/{id}/revoke', () => ({ reason: 'test' })],
  ['POST', '/v1/tokens/revoke-by-value', () => ({ secrets: ['tkn_not-a-secret'] })],
  ['POST', '/v1/tokens/lookup-by-value', () => ({ secrets: ['tkn_not-a-secret'] })],
  ['GET', '/v1/audit'],
  ['GET', '/v1/scopes'],
  ['POST', '/v1/scopes', () => ({ name: `custom-${++counter}` })],
  ['DELETE', '/v1/scopes/{name}'],
  ['GET', '/v1/export'],
  ['GET', '/v1/tokens/{id}/usage'],
  ['GET', '/v1/usage'],
  // Webhook routes are given a token id: a caller the scope admits gets 404 (or 400), not 403.
  ['POST', '/v1/webhooks', () => ({ url: 'http://127.0.0.1:9/x', events: ['token.revoked'] })],
  ['GET', '/v1/webhooks'],
  ['GET', '/v1/webhooks/{id}'],
  ['DELETE', '/v1/webhooks/{id}'],
  ['POST', '/v1/webhooks/{id}/test', () => ({})],
  ['GET', '/v1/webhooks/{id}/deliveries'],
  ['POST', '/v1/import', () => ({ schema_version: 2, exported_at: new Date().toISOString(), tokens: [], scopes: [] })],
  ['GET', '/v1/policies'],
  ['PUT', '/v1/policies/{scope}', () => ({ require_owner: true })],
  ['DELETE', '/v1/policies/{scope}'],
];

async function token(scopes: string[]): Promise<{ id: string; secret: string }> {
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: `holder-${++counter}`, scopes });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.token.id, secret: res.body.secret };
}

/** The scopes that admit each route, found by calling it (a 403 is a refusal; anything else got past the scope check). */
async function observed(): Promise<Map<string, string[]>> {
  const admitted = new Map<string, string[]>(ROUTES.map(([method, path]) => [`${method} ${path}`, ['management']]));
  for (const scope of SCOPES) {
    const caller = await token([scope]);
    for (const [method, path, body] of ROUTES) {
      // The target holds what the caller holds, so rules about the target's own scopes never refuse.
      const target = path.includes('{id}') ? await token([scope]) : null;
      const url = path.replace('{id}', target?.id ?? '').replace('{name}', 'no-such-scope').replace('{scope}', 'audit:read');
      const res = await api(server, caller.secret, method, url, body?.(scope));
      expect(res.status, `${scope} ${method} ${path}: ${res.text}`).toBeLessThan(500);
      if (res.status !== 403) admitted.get(`${method} ${path}`)!.push(scope);
    }
  }
  return admitted;
}

/** `security` alternatives of each operation in the OpenAPI document, as scope lists. */
async function documented(): Promise<Map<string, string[]>> {
  const doc = (await api(server, null, 'GET', '/openapi.json')).body;
  const found = new Map<string, string[]>();
  for (const [method, path] of ROUTES) {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    expect(operation, `${method} ${path} in /openapi.json`).toBeDefined();
    const security = (operation.security ?? doc.security) as Record<string, string[]>[];
    found.set(`${method} ${path}`, security.flatMap((alternative) => alternative.bearer ?? []));
  }
  return found;
}

/** The README's API table: the scope column of each route's row. */
function readme(): Map<string, string[]> {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const found = new Map<string, string[]>();
  for (const [, route, scopes] of text.matchAll(/^\| `([A-Z]+ \/[^`]+)` \| ([^|]+) \|/gm)) {
    found.set(route!, scopes!.split(/ or |, /).map((s) => s.trim()));
  }
  return found;
}

const sorted = (scopes: string[] | undefined) => [...new Set(scopes ?? [])].sort();

describe('the scopes each route needs', () => {
  it('agree between the server, /openapi.json and the README (management admits every route)', async () => {
    const [server, doc, table] = [await observed(), await documented(), readme()];
    for (const [method, path] of ROUTES) {
      const route = `${method} ${path}`;
      const needed = sorted(server.get(route));
      expect(sorted(doc.get(route)), `${route} in /openapi.json`).toEqual(needed);
      expect(sorted([...(table.get(route) ?? []), 'management']), `${route} in the README`).toEqual(needed);
    }
    // What the spec's scope table says of the two that overlap: tokens:write also suspends and revokes.
    expect(server.get('POST /v1/tokens/{id}/suspend')).toContain('tokens:write');
    expect(server.get('POST /v1/tokens/{id}/revoke')).toEqual(expect.arrayContaining(['tokens:revoke', 'tokens:write']));
    expect(server.get('POST /v1/tokens/{id}/resume')).not.toContain('tokens:revoke');
  });
});
