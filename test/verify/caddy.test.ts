// A real Caddy (the Debian package) with forward_auth to /v1/auth — the Caddyfiles printed in the
// README (### Caddy, and #### Caddy over TLS with the private CA and a client certificate), run by
// the shared gateway harness (gateway.ts).
import { describe } from 'vitest';
import { failsClosedWithoutTokens, gatewayChecks, gatewayUnderTest, tlsGatewayUnderTest, type GatewayDefinition } from './gateway.js';

const caddy: GatewayDefinition = {
  name: 'caddy',
  errorLog: 'caddy.log',
  render: ({ blocks, dir, port, gatewaySecret }) => {
    // No admin endpoint (its fixed port would collide between runs), storage and logs in the directory.
    const options = `{\n\tadmin off\n\tstorage file_system ${dir}/data\n\tlog {\n\t\toutput file ${dir}/caddy.log\n\t}\n}\n\n`;
    const site = blocks.caddyfile!.replace(/^:8080 \{/m, `http://127.0.0.1:${port} {`);
    return {
      files: { Caddyfile: options + site },
      command: ['/usr/bin/caddy', 'run', '--config', `${dir}/Caddyfile`, '--adapter', 'caddyfile'],
      env: { TOKENS_GATEWAY_TOKEN: gatewaySecret },
    };
  },
};

describe('Caddy forward_auth → /v1/auth', () => {
  gatewayChecks(gatewayUnderTest(caddy, { heading: '### Caddy' }));
  failsClosedWithoutTokens(caddy, { heading: '### Caddy', status: 502 });
});

describe('Caddy forward_auth → /v1/auth over TLS, the private CA verified, with a client certificate', () => {
  tlsGatewayUnderTest(caddy, {
    heading: '#### Caddy over TLS',
    clientCert: true,
    placeFiles: (text, files) =>
      text
        .replace('/etc/caddy/tokens-ca.pem', files.ca)
        .replace('/etc/caddy/gateway.crt', files.client.cert)
        .replace('/etc/caddy/gateway.key', files.client.key),
    impostor: { status: 502, log: /x509: certificate signed by unknown authority/ },
  });
});
