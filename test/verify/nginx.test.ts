// A real nginx (the Debian package) in front of the upstream, protecting it with auth_request to
// /v1/auth — the configurations printed in the README (plain http to tokens, and over TLS with the
// private CA and a client certificate), run by the shared gateway harness (gateway.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { failsClosedWithoutTokens, gatewayChecks, gatewayUnderTest, tlsGatewayUnderTest, type GatewayDefinition, type GatewayEnv } from './gateway.js';

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
  failsClosedWithoutTokens(nginx, { heading: '### nginx', status: 500 });
});

describe('nginx auth_request → /v1/auth over TLS, the private CA verified, with a client certificate', () => {
  const env = tlsGatewayUnderTest(nginx, {
    heading: '#### nginx over TLS',
    clientCert: true,
    trustProxy: [PROXY_ADDRESS],
    placeFiles: (text, files) =>
      text
        .replace('/etc/nginx/tokens-ca.pem', files.ca)
        .replace('/etc/nginx/gateway.crt', files.client.cert)
        .replace('/etc/nginx/gateway.key', files.client.key),
    impostor: { status: 500, log: /upstream SSL certificate verify error/ },
  });
  addressChecks(env);
});
