// Shared steps of the verify tests: issue tokens, call the two endpoints, read counters from /metrics.
import { afterAll, beforeAll, expect } from 'vitest';
import type { ServerOptions } from '../../src/server/main.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

export interface Issued {
  id: string;
  name: string;
  secret: string;
}

let serial = 0;

/** A server for the tests of one file, with a gateway token holding `verify`: started before them, removed after. */
export function serverWithGateway(overrides: Partial<ServerOptions> = {}): { server: TestServer; gateway: Issued } {
  const env = {} as { server: TestServer; gateway: Issued };
  beforeAll(async () => {
    env.server = await startTestServer(overrides);
    env.gateway = await issue(env.server, { scopes: ['verify'] });
  });
  afterAll(async () => {
    await env.server?.destroy();
  });
  return env;
}

/** Creates a token through the management API (registering custom scopes first). */
export async function issue(server: { url: string; adminSecret: string }, body: Record<string, unknown> = {}): Promise<Issued> {
  const scopes = (body.scopes as string[] | undefined) ?? ['query'];
  for (const scope of scopes) {
    if (!scope.includes(':') && !['management', 'verify'].includes(scope)) {
      await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: scope });
    }
  }
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: `verify-${process.pid}-${++serial}`, ...body, scopes });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.token.id, name: res.body.token.name, secret: res.body.secret };
}

/** POST /v1/introspect as a form (the RFC 7662 way) or as JSON. */
export async function introspect(
  server: { url: string },
  caller: string | null,
  fields: Record<string, unknown>,
  as: 'form' | 'json' = 'form',
  headers: Record<string, string> = {},
) {
  const body = as === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields as Record<string, string>).toString();
  const res = await fetch(`${server.url}/v1/introspect`, {
    method: 'POST',
    headers: {
      'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      ...(caller !== null ? { authorization: `Bearer ${caller}` } : {}),
      ...headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

/** GET /v1/auth as a gateway calls it: the client's Authorization as sent, the gateway's own token beside it. */
export async function forwardAuth(
  server: { url: string },
  verifier: string | null,
  clientAuthorization: string | null,
  query = '',
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${server.url}/v1/auth${query}`, {
    headers: {
      ...(verifier !== null ? { 'x-verifier-token': verifier } : {}),
      ...(clientAuthorization !== null ? { authorization: clientAuthorization } : {}),
      ...headers,
    },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

/** The sum of a metric's samples whose labels include all of `labels`. */
export async function metric(server: { url: string }, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

/** A secret with the right shape and checksum that no server issued. */
export { generateSecret as wellFormedUnknownSecret } from '../../src/shared/secret.js';
