// A real Apache with mod_auth_openidc (the Debian packages) introspecting at /v1/introspect, found
// through /.well-known/oauth-authorization-server and called with client_secret_basic — the site
// configuration printed in the README (### Apache), run by the shared gateway harness (gateway.ts).
import { describe } from 'vitest';
import { failsClosedWithoutTokens, gatewayChecks, gatewayUnderTest, tlsGatewayUnderTest, type GatewayDefinition } from './gateway.js';

/** What Debian's apache2.conf and `a2enmod auth_openidc headers proxy_http` load. */
const MODULES = ['mpm_event', 'authz_core', 'authn_core', 'headers', 'proxy', 'proxy_http', 'auth_openidc'];

const apache: GatewayDefinition = {
  name: 'apache',
  errorLog: 'error.log',
  render: ({ blocks, dir, port }) => {
    const server = [
      `ServerRoot ${dir}`,
      'ServerName localhost',
      `PidFile ${dir}/httpd.pid`,
      `DefaultRuntimeDir ${dir}`,
      `Mutex file:${dir} default`,
      `ErrorLog ${dir}/error.log`,
      'LogLevel warn',
      ...MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    ];
    const site = blocks.apache!.replace(/^Listen 8080$/m, `Listen 127.0.0.1:${port}`).replace('<VirtualHost *:8080>', `<VirtualHost 127.0.0.1:${port}>`);
    return { files: { 'httpd.conf': `${server.join('\n')}\n\n${site}` }, command: ['/usr/sbin/apache2', '-X', '-f', `${dir}/httpd.conf`] };
  },
};

describe('Apache mod_auth_openidc → /v1/introspect', () => {
  gatewayChecks(gatewayUnderTest(apache, { heading: '### Apache' }));
  failsClosedWithoutTokens(apache, { heading: '### Apache', status: 401 });
});

describe('Apache mod_auth_openidc → /v1/introspect over TLS, the private CA verified, with a client certificate', () => {
  tlsGatewayUnderTest(apache, {
    heading: '#### Apache over TLS',
    clientCert: true,
    placeFiles: (text, files) =>
      text
        .replace('/etc/apache2/tokens-ca.pem', files.ca)
        .replace('/etc/apache2/gateway.crt', files.client.cert)
        .replace('/etc/apache2/gateway.key', files.client.key),
    impostor: { status: 401, log: /SSL certificate problem: unable to get local issuer certificate/ },
  });
});
