// A real nginx (the Debian package) in front of the upstream, protecting it with auth_request to
// /v1/auth — the configurations printed in the README (plain http to tokens, and over TLS with the
// private CA and a client certificate), run by the shared gateway harness (gateway.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, startTestServer } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';
import { gatewayChecks, gatewayUnderTest, readmeBlocks, startGateway, type GatewayDefinition, type GatewayEnv } from './gateway.js';
import { issue } from './helpers.js';

// nginx reaches tokens from 127.0.0.2 while clients come from 127.0.0.1, so the test can tell
// which address the CIDR check used: it must be the client's, from the proxy's X-Forwarded-For.
const PROXY_ADDRESS = '127.0.0.2';

const nginx: GatewayDefinition = {
  name: 'nginx',
  errorLog: 'error.log',
  render: ({ blocks, dir, port }) => ({
    files: {
      'nginx.conf': `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    proxy_bind ${PROXY_ADDRESS};
${blocks.nginx!.replace(/listen 8080;/, `listen 127.0.0.1:${port};`)}
}
`,
    },
    command: ['/usr/sbin/nginx', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
  }),
};

function addressChecks(env: GatewayEnv) {
  it('refuses a token from outside its CIDR allowlist, judged by the address the trusted proxy forwards', async () => {
    const tenOnly = await env.client(['query'], { allowed_cidrs: ['10.0.0.0/8'] });
    expect(await env.through('/query/a', { authorization: `Bearer ${tenOnly.secret}` })).toBe(403);
    // The proxy's own address (the TCP peer tokens sees) does not count…
    const proxyOnly = await env.client(['query'], { allowed_cidrs: [`${PROXY_ADDRESS}/32`] });
    expect(await env.through('/query/a', { authorization: `Bearer ${proxyOnly.secret}` })).toBe(403);
    // …the client's, from X-Forwarded-For, does.
    const clientOnly = await env.client(['query'], { allowed_cidrs: ['127.0.0.1/32'] });
    expect(await env.through('/query/a', { authorization: `Bearer ${clientOnly.secret}` })).toBe(200);
  });
}

describe('nginx auth_request → /v1/auth', () => {
  const env = gatewayUnderTest(nginx, { heading: '### nginx', startTokens: () => startTestServer({ trustProxy: [PROXY_ADDRESS] }) });
  gatewayChecks(env);
  addressChecks(env);
});

describe('nginx auth_request → /v1/auth over TLS, the private CA verified, with a client certificate', () => {
  let ca: TestCa;
  let gatewayCa: TestCa;
  const placeFiles = (config: string, clientCa: TestCa) => {
    const gatewayCert = clientCa.issue('nginx-edge', { client: true });
    return config
      .replace('/etc/nginx/tokens-ca.pem', ca.cert)
      .replace('/etc/nginx/gateway.crt', gatewayCert.cert)
      .replace('/etc/nginx/gateway.key', gatewayCert.key);
  };
  const env = gatewayUnderTest(nginx, {
    heading: '#### nginx over TLS',
    startTokens: async (dir) => {
      ca = TestCa.create(join(dir, 'ca'), 'tokens CA');
      gatewayCa = TestCa.create(join(dir, 'gateway-ca'), 'gateway CA');
      // Issued for the name the README's proxy_ssl_name sends (and 127.0.0.1, for the test's own calls).
      const pair = ca.issue('tokens server', { dns: ['tokens.internal'] });
      return startTestServer(
        { trustProxy: [PROXY_ADDRESS], tlsCert: pair.cert, tlsKey: pair.key, tlsClientCa: gatewayCa.cert, requireClientCertForVerify: true },
        {},
        { trustCa: ca.cert },
      );
    },
    adapt: (config) => placeFiles(config, gatewayCa),
  });
  gatewayChecks(env);
  addressChecks(env);

  it("presented nginx's client certificate on every verify call", async () => {
    const metrics = (await api(env.tokens, null, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="O=tokens tests, CN=nginx-edge"\} [1-9]\d*$/m);
    expect(metrics).not.toMatch(/^tokens_verify_client_cert_total\{subject="(none|unverified)"\}/m);
  });

  it('refuses (500, nothing reaches the upstream) a tokens server whose certificate the CA did not issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-nginx-impostor-'));
    const impostorCa = TestCa.create(join(dir, 'impostor-ca'), 'impostor CA');
    const pair = impostorCa.issue('tokens server', { dns: ['tokens.internal'] });
    const impostor = await startTestServer({ trustProxy: [PROXY_ADDRESS], tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: impostorCa.cert });
    const gateway = await startGateway(nginx, {
      blocks: readmeBlocks('#### nginx over TLS'),
      tokens: impostor,
      upstream: env.upstream,
      gatewaySecret: (await issue(impostor, { scopes: ['verify'] })).secret,
      adapt: (config) => placeFiles(config, TestCa.create(join(dir, 'gateway-ca'), 'gateway CA')),
      reads: [dir],
    });
    try {
      const client = await issue(impostor, { scopes: ['query'] });
      const before = env.upstream.seen.length;
      const res = await fetch(`${gateway.url}/query/a`, { headers: { authorization: `Bearer ${client.secret}` } });
      await res.text();
      expect(res.status).toBe(500);
      expect(env.upstream.seen.length).toBe(before);
      expect(gateway.log()).toMatch(/upstream SSL certificate verify error/);
    } finally {
      await gateway.stop();
      await impostor.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
