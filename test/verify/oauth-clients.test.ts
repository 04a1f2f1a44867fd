// RFC 7662 client libraries people already use, configured only with their documented standard
// options — discovery of /.well-known/oauth-authorization-server and client_secret_basic (or
// client_secret_post) with the gateway's verify token as the client secret — against a real server.
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { issue, serverWithGateway, wellFormedUnknownSecret } from './helpers.js';

const env = serverWithGateway();

/** What a library threw, as the OAuth error it read: from the body, or from the WWW-Authenticate challenge. */
function oauthError(err: unknown): { status: number; error: string } {
  if (err instanceof oauth.ResponseBodyError) return { status: err.status, error: err.error };
  if (err instanceof oauth.WWWAuthenticateChallengeError) return { status: err.status, error: err.cause[0]!.parameters.error! };
  throw err;
}

describe('oauth4webapi', () => {
  const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks plain HTTP on loopback
  const client: oauth.Client = { client_id: 'edge-gateway' };

  async function discover(): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(env.server.url);
    return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  }

  const introspect = async (as: oauth.AuthorizationServer, auth: oauth.ClientAuth, token: string) =>
    oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, insecure));

  it('discovers the endpoint and introspects active and inactive tokens with client_secret_basic', async () => {
    const as = await discover();
    expect(as.introspection_endpoint).toBe(`${env.server.url}/v1/introspect`);
    const t = await issue(env.server, { scopes: ['query'] });
    const active = await introspect(as, oauth.ClientSecretBasic(env.gateway.secret), t.secret);
    expect(active).toMatchObject({ active: true, sub: t.id, username: t.name, client_id: t.id, scope: 'query', token_type: 'Bearer' });
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`, { reason: 'test' });
    expect(await introspect(as, oauth.ClientSecretBasic(env.gateway.secret), t.secret)).toEqual({ active: false });
    expect(await introspect(as, oauth.ClientSecretBasic(env.gateway.secret), 'not-a-token')).toEqual({ active: false });
  });

  it('works with client_secret_post too', async () => {
    const as = await discover();
    const t = await issue(env.server);
    expect(await introspect(as, oauth.ClientSecretPost(env.gateway.secret), t.secret)).toMatchObject({ active: true, sub: t.id });
  });

  it('reads refusals as OAuth errors', async () => {
    const as = await discover();
    const t = await issue(env.server);
    const reader = await issue(env.server, { scopes: ['tokens:read'] });
    const cases: [oauth.ClientAuth, string, { status: number; error: string }][] = [
      [oauth.ClientSecretBasic(wellFormedUnknownSecret('tkn')), t.secret, { status: 401, error: 'invalid_client' }],
      [oauth.ClientSecretPost(wellFormedUnknownSecret('tkn')), t.secret, { status: 401, error: 'invalid_client' }],
      [oauth.ClientSecretBasic(reader.secret), t.secret, { status: 403, error: 'unauthorized_client' }],
      [oauth.ClientSecretBasic(env.gateway.secret), 'x'.repeat(5000), { status: 400, error: 'invalid_request' }],
    ];
    for (const [auth, token, expected] of cases) {
      const thrown = await introspect(as, auth, token).then(
        () => null,
        (err: unknown) => oauthError(err),
      );
      expect(thrown).toEqual(expected);
    }
  });
});

describe('openid-client', () => {
  const configure = (secret: string, auth: (secret: string) => openid.ClientAuth = openid.ClientSecretBasic) =>
    openid.discovery(new URL(env.server.url), 'edge-gateway', undefined, auth(secret), {
      algorithm: 'oauth2',
      execute: [openid.allowInsecureRequests],
    });

  it('discovers the endpoint and introspects active and inactive tokens with client_secret_basic', async () => {
    const config = await configure(env.gateway.secret);
    expect(config.serverMetadata().issuer).toBe(env.server.url);
    const t = await issue(env.server, { scopes: ['query', 'messaging'], audiences: ['billing'] });
    const active = await openid.tokenIntrospection(config, t.secret);
    expect(active).toMatchObject({ active: true, sub: t.id, username: t.name, scope: 'query messaging', aud: ['billing'] });
    // RFC 7662 lets the caller add parameters; this server reads scope and audience.
    expect(await openid.tokenIntrospection(config, t.secret, { scope: 'invoice:read' })).toEqual({ active: false });
    expect(await openid.tokenIntrospection(config, wellFormedUnknownSecret('tkn'))).toEqual({ active: false });
  });

  it('reads a refused client as an OAuth error', async () => {
    const config = await configure(wellFormedUnknownSecret('tkn'));
    const t = await issue(env.server);
    const thrown = await openid.tokenIntrospection(config, t.secret).then(
      () => null,
      (err: unknown) => oauthError(err),
    );
    expect(thrown).toEqual({ status: 401, error: 'invalid_client' });
    const posted = await configure(wellFormedUnknownSecret('tkn'), openid.ClientSecretPost);
    expect(await openid.tokenIntrospection(posted, t.secret).then(() => null, oauthError)).toEqual({ status: 401, error: 'invalid_client' });
  });
});
