// A real HAProxy 2.6 (the Debian package) asking /v1/auth through its Lua HTTP client — the
// configuration and Lua action printed in the README (### HAProxy), run by the shared gateway harness.
import { describe } from 'vitest';
import { gatewayChecks, gatewayUnderTest, type GatewayDefinition } from './gateway.js';

const haproxy: GatewayDefinition = {
  name: 'haproxy',
  errorLog: 'haproxy.log',
  render: ({ blocks, dir, port, gatewaySecret }) => ({
    files: {
      'haproxy.cfg': blocks.haproxy!.replace('/etc/haproxy/tokens-auth.lua', `${dir}/tokens-auth.lua`).replace(/bind :8080$/m, `bind 127.0.0.1:${port}`),
      'tokens-auth.lua': blocks.lua!,
    },
    command: ['/usr/sbin/haproxy', '-db', '-f', `${dir}/haproxy.cfg`],
    env: { TOKENS_GATEWAY_TOKEN: gatewaySecret },
  }),
};

describe('HAProxy Lua action → /v1/auth', () => {
  gatewayChecks(gatewayUnderTest(haproxy, { heading: '### HAProxy' }));
});
