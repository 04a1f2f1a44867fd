// A real HAProxy 2.6 (the Debian package) asking /v1/auth through its Lua HTTP client — the
// configurations and Lua actions printed in the README (### HAProxy; #### HAProxy over TLS, the
// HTTP client checking the private CA; #### HAProxy over mutual TLS, through a listener whose server
// line presents a client certificate), run by the shared gateway harness (gateway.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { failsClosedWithoutTokens, gatewayChecks, gatewayUnderTest, startTlsTokens, tlsGatewayUnderTest, type GatewayDefinition, type TlsFiles } from './gateway.js';

const haproxy: GatewayDefinition = {
  name: 'haproxy',
  errorLog: 'haproxy.log',
  render: ({ blocks, dir, port, gatewaySecret }) => {
    // An abstract socket's name is one per machine: each HAProxy (tests may run side by side) gets its own.
    const socket = (text: string) => text.replaceAll('abns@tokens-auth', `abns@tokens-auth-${port}`);
    return {
      files: {
        'haproxy.cfg': socket(blocks.haproxy!)
          .replace('/etc/haproxy/tokens-auth.lua', `${dir}/tokens-auth.lua`)
          .replace(/bind :8080$/m, `bind 127.0.0.1:${port}`)
          // Logs to stderr (the harness keeps it): with no `log global` in the README's proxies, only
          // the HTTP client's own requests are logged.
          .replace(/^global$/m, 'global\n    log stderr format raw local0 info'),
        'tokens-auth.lua': socket(blocks.lua!),
      },
      command: ['/usr/sbin/haproxy', '-db', '-f', `${dir}/haproxy.cfg`],
      env: { TOKENS_GATEWAY_TOKEN: gatewaySecret },
    };
  },
};

describe('HAProxy Lua action → /v1/auth', () => {
  gatewayChecks(gatewayUnderTest(haproxy, { heading: '### HAProxy' }));
  failsClosedWithoutTokens(haproxy, { heading: '### HAProxy', status: 503 });
});

describe('HAProxy Lua action → /v1/auth over TLS, the private CA and the name verified', () => {
  tlsGatewayUnderTest(haproxy, {
    heading: '#### HAProxy over TLS',
    // HAProxy 2.6's HTTP client has no setting for a client certificate.
    clientCert: false,
    placeFiles: (text, files) => text.replace('/etc/haproxy/tokens-ca.pem', files.ca),
    impostor: { status: 503, log: /<HTTPCLIENT>\/<HTTPSCLIENT> .* 503 .* SC-- .*"GET https:\/\/tokens\.internal:8787\/v1\/auth\?scope=query / },
  });
});

describe('HAProxy Lua action → its own TLS listener → /v1/auth, the private CA and the name verified, with a client certificate', () => {
  tlsGatewayUnderTest(haproxy, {
    heading: '#### HAProxy over mutual TLS',
    clientCert: true,
    placeFiles: (text, files) => {
      // HAProxy's crt takes the certificate and its key in one file.
      const pem = `${files.client.cert}.pem`;
      writeFileSync(pem, readFileSync(files.client.cert, 'utf8') + readFileSync(files.client.key, 'utf8'), { mode: 0o600 });
      return text.replace('/etc/haproxy/tokens-ca.pem', files.ca).replace('/etc/haproxy/gateway.pem', pem);
    },
    // The listener answers the HTTP client 503 when its TLS connection to tokens fails.
    impostor: { status: 503, log: /tokens_auth tokens_auth\/tokens .* 503 .* SC-- .*"GET \/v1\/auth\?scope=query / },
  });
});

describe('HAProxy over TLS in front of a tokens server requiring client certificates for verify', () => {
  let files: TlsFiles;
  const env = gatewayUnderTest(haproxy, {
    heading: '#### HAProxy over TLS',
    startTokens: async (dir) => {
      const started = await startTlsTokens(dir, 'tokens', { clientCert: true }, 'haproxy');
      files = started.files;
      return started.tokens;
    },
    adapt: (text) => text.replace('/etc/haproxy/tokens-ca.pem', files.ca),
  });

  it('refuses every request with 403 (client_certificate_required), since its HTTP client presents none; nothing reaches the upstream', async () => {
    const t = await env.client(['query']);
    expect(await env.through('/query/a', { authorization: `Bearer ${t.secret}` })).toBe(403);
    expect(env.upstream.seen).toEqual([]);
    const metrics = (await api(env.tokens, null, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^tokens_verify_total\{endpoint="auth",reason="caller_no_certificate"\} 1$/m);
    expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="none"\} 1$/m);
  });
});
