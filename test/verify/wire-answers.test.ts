// The verify endpoints' answers byte for byte: status line, every header in order, and body, for a
// valid token and each refusal, malformed input and the caller's own refusals, on both endpoints, as
// one gateway sends them over keep-alive connections (and some on a fresh connection each). The
// expected text is test/verify/wire-answers.txt: the verify path is tuned for speed, and none of that
// may change a byte a gateway sees. Only what differs from run to run is masked: the Date header,
// token ids (named by the token), generated request ids and the server's time.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/shared/secret.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import type { Issued } from './helpers.js';

/** A fixed start: created/expiry times (iat, exp) come out the same on every run. */
const START = Date.UTC(2026, 0, 1, 12, 0, 0);

let clockMs = START;
let server: TestServer;
const ids = new Map<string, string>();

async function issue(name: string, body: Record<string, unknown> = {}): Promise<Issued> {
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name, scopes: ['query'], ...body });
  expect(res.status, res.text).toBe(201);
  ids.set(res.body.token.id, `<id of ${name}>`);
  return { id: res.body.token.id, name, secret: res.body.secret };
}

/** One HTTP/1.1 connection, used as a gateway uses it: request, whole response, next request. */
class Connection {
  private readonly socket: Socket;
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
  }

  async exchange(request: string): Promise<string> {
    this.socket.write(request);
    for (;;) {
      const text = this.buffered.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
        if (this.buffered.length >= end + 4 + length) {
          const response = this.buffered.subarray(0, end + 4 + length).toString('utf8');
          this.buffered = this.buffered.subarray(end + 4 + length);
          return response;
        }
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function introspectRequest(body: string, headers: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): string {
  const lines = ['POST /v1/introspect HTTP/1.1', 'Host: verify.test', `Content-Type: ${contentType}`, `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function authRequest(query: string, headers: Record<string, string>): string {
  const lines = [`GET /v1/auth${query} HTTP/1.1`, 'Host: verify.test'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function masked(response: string): string {
  let text = response.replace(/\r\nDate: [^\r]+/, '\r\nDate: <date>');
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<generated request id>');
  for (const [id, name] of ids) text = text.replaceAll(id, name);
  return text;
}

beforeAll(async () => {
  server = await startTestServer({}, {}, { clock: () => clockMs });
});
afterAll(async () => {
  await server?.destroy();
});

describe('verify answers on the wire', () => {
  it('are byte for byte what wire-answers.txt holds', async () => {
    expect((await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'query' })).status).toBe(201);
    const gateway = await issue('wire-gateway', { scopes: ['verify'] });
    const notVerifier = await issue('wire-not-a-verifier');
    const valid = await issue('wire-valid');
    const full = await issue('wire-full', {
      scopes: ['query', 'verify'],
      audiences: ['billing', 'search'],
      expires_at: new Date(START + 3600_000).toISOString(),
    });
    const revoked = await issue('wire-revoked');
    const suspended = await issue('wire-suspended');
    const expiring = await issue('wire-expiring', { expires_at: new Date(START + 60_000).toISOString() });
    const fenced = await issue('wire-fenced', { allowed_cidrs: ['10.0.0.0/8'] });
    const limited = await issue('wire-limited', { rate_limit: { requests: 2, per_seconds: 3600 } });
    const laterRevoked = await issue('wire-later-revoked');
    const gatewayLaterRevoked = await issue('wire-gateway-later-revoked', { scopes: ['verify'] });
    const unknown = generateSecret('tkn');
    const badChecksum = `${valid.secret.slice(0, -1)}${valid.secret.endsWith('a') ? 'b' : 'a'}`;
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${revoked.id}/revoke`, { reason: 'wire' })).status).toBe(200);
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${suspended.id}/suspend`, {})).status).toBe(200);

    const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
    const rid = (n: number) => ({ 'X-Request-Id': `wire-${n}` });
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const transcript: string[] = [];
    const record = async (connection: Connection, label: string, request: string) => {
      transcript.push(`### ${label}\n${masked(await connection.exchange(request))}\n`);
    };

    // One keep-alive connection, as a gateway holds it: the same caller on every request.
    const gw = new Connection(server.url);
    let n = 0;
    const intro = (label: string, body: string, extra: Record<string, string> = {}, type?: string) =>
      record(gw, `introspect: ${label}`, introspectRequest(body, { ...bearer(gateway.secret), ...rid(++n), ...extra }, type));
    await intro('valid', form({ token: valid.secret, scope: 'query' }));
    await intro('valid again (same connection, same token)', form({ token: valid.secret, scope: 'query' }));
    await intro('valid, no scope asked, generated request id', form({ token: valid.secret }), { 'X-Request-Id': 'not a valid id!' });
    await intro('valid, JSON body', JSON.stringify({ token: valid.secret, scope: 'query' }), {}, 'application/json');
    await intro('valid, JSON; charset', JSON.stringify({ token: valid.secret }), {}, 'application/json; charset=utf-8');
    await intro('with audiences and expiry', form({ token: full.secret, scope: 'query verify', audience: 'search' }));
    await intro('unknown token', form({ token: unknown }));
    await intro('unknown token again (cached miss)', form({ token: unknown }));
    await intro('wrong checksum', form({ token: badChecksum }));
    await intro('not a token at all', form({ token: 'hello' }));
    await intro('revoked', form({ token: revoked.secret }));
    await intro('suspended', form({ token: suspended.secret }));
    await intro('expiring, still valid', form({ token: expiring.secret }));
    await intro('scope not held', form({ token: valid.secret, scope: 'query admin' }));
    await intro('audience not held', form({ token: full.secret, audience: 'payroll' }));
    await intro('address outside the allowlist', form({ token: fenced.secret, ip: '192.0.2.1' }));
    await intro('address inside the allowlist', form({ token: fenced.secret, ip: '10.1.2.3' }));
    await intro('address: the caller (loopback), outside', form({ token: fenced.secret }));
    await intro('rate limit 1/2', form({ token: limited.secret }));
    await intro('rate limit 2/2', form({ token: limited.secret }));
    await intro('over the rate limit', form({ token: limited.secret }));
    await intro('missing token field', form({ scope: 'query' }));
    await intro('token too long', form({ token: 'x'.repeat(5000) }));
    await intro('invalid JSON', '{"token":', {}, 'application/json');
    await intro('empty body', '', {}, 'application/json');
    await intro('valid before its revocation', form({ token: laterRevoked.secret }));
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${laterRevoked.id}/revoke`, { reason: 'wire' })).status).toBe(200);
    await intro('the same token after its revocation (same connection)', form({ token: laterRevoked.secret }));
    clockMs += 61_000;
    await intro('expiring, after its expiry (same connection)', form({ token: expiring.secret }));
    await intro('valid, after the clock moved', form({ token: valid.secret, scope: 'query' }));

    // Callers: each on a connection of its own.
    const once = async (label: string, request: string) => {
      const c = new Connection(server.url);
      await record(c, label, request);
      c.close();
    };
    const body = form({ token: valid.secret });
    await once('introspect: no caller credential', introspectRequest(body, rid(++n)));
    await once('introspect: caller token without scope verify', introspectRequest(body, { ...bearer(notVerifier.secret), ...rid(++n) }));
    await once('introspect: caller token unknown', introspectRequest(body, { ...bearer(unknown), ...rid(++n) }));
    await once('introspect: caller token revoked', introspectRequest(body, { ...bearer(revoked.secret), ...rid(++n) }));
    await once('introspect: caller as HTTP Basic', introspectRequest(body, { Authorization: `Basic ${Buffer.from(`x:${gateway.secret}`).toString('base64')}`, ...rid(++n) }));
    await once('introspect: caller as client_secret', introspectRequest(form({ token: valid.secret, client_id: 'gw', client_secret: gateway.secret }), rid(++n)));
    await once('introspect: invalid body, unauthenticated caller', introspectRequest(form({ scope: 'query' }), rid(++n)));

    // A caller admitted on its connection, then revoked: the next request there is refused.
    const later = new Connection(server.url);
    await record(later, 'introspect: caller admitted', introspectRequest(body, { ...bearer(gatewayLaterRevoked.secret), ...rid(++n) }));
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${gatewayLaterRevoked.id}/revoke`, { reason: 'wire' })).status).toBe(200);
    await record(later, 'introspect: the same caller after its revocation (same connection)', introspectRequest(body, { ...bearer(gatewayLaterRevoked.secret), ...rid(++n) }));
    later.close();

    // Forward auth, on the gateway's connection.
    const verifier = (secret: string) => ({ 'X-Verifier-Token': secret });
    const auth = (label: string, query: string, headers: Record<string, string>) => record(gw, `auth: ${label}`, authRequest(query, { ...verifier(gateway.secret), ...rid(++n), ...headers }));
    await auth('valid', '?scope=query', bearer(valid.secret));
    await auth('valid again', '?scope=query', bearer(valid.secret));
    await auth('valid, no query', '', bearer(valid.secret));
    await auth('valid, Envoy path prefix', '/api/items?x=1', bearer(valid.secret));
    await auth('two scopes in the query', '?scope=query&scope=verify', bearer(full.secret));
    await auth('scope from a header', '', { ...bearer(full.secret), 'X-Required-Scope': 'query, verify' });
    await auth('audience', '?audience=billing', bearer(full.secret));
    await auth('no bearer', '?scope=query', {});
    await auth('not bearer', '?scope=query', { Authorization: 'Token abc' });
    await auth('unknown token', '', bearer(unknown));
    await auth('wrong checksum', '', bearer(badChecksum));
    await auth('revoked', '', bearer(revoked.secret));
    await auth('suspended', '', bearer(suspended.secret));
    await auth('expired', '', bearer(expiring.secret));
    await auth('scope not held', '?scope=admin', bearer(valid.secret));
    await auth('odd scope not echoed', '', { ...bearer(valid.secret), 'X-Required-Scope': 'a"b' });
    await auth('audience not held', '?audience=payroll', bearer(full.secret));
    await auth('address outside the allowlist', '', bearer(fenced.secret));
    await auth('over the rate limit', '', bearer(limited.secret));
    await auth('invalid query', '?audience=a&audience=b', bearer(valid.secret));
    gw.close();
    await once('auth: no X-Verifier-Token', authRequest('', { ...bearer(valid.secret), ...rid(++n) }));
    await once('auth: X-Verifier-Token without scope verify', authRequest('', { ...verifier(notVerifier.secret), ...bearer(valid.secret), ...rid(++n) }));
    await once('auth: X-Verifier-Token malformed', authRequest('', { ...verifier('nope'), ...bearer(valid.secret), ...rid(++n) }));

    await expect(transcript.join('\n')).toMatchFileSnapshot('./wire-answers.txt');
  });
});
