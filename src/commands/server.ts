// `tokens server`: run the reference management API server.
import { defineCommand } from '../cli/define.js';
import { choice, duration, flag, integer, list, text } from '../cli/options.js';
import { UsageError } from '../cli/errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export default defineCommand({
  name: 'server',
  summary: 'Run the management API server (embedded SQLite store by default)',
  description:
    'Serves the management API, the verify endpoints, /openapi.json and the web console at /. On first start with an empty store it creates one\n' +
    'management token and prints its secret once (or writes it 0600 to --bootstrap-file). Logs are JSON lines on stdout.',
  examples: [
    'tokens server',
    'tokens server --port 8787 --db ./tokens.db --bootstrap-file ./bootstrap-token',
    'TOKENS_DATABASE_URL=postgres://127.0.0.1/tokens tokens server --host 0.0.0.0',
    'tokens server --host 0.0.0.0 --tls-cert /etc/tokens/tls.crt --tls-key /etc/tokens/tls.key',
    'tokens server --host 0.0.0.0 --tls-cert tls.crt --tls-key tls.key --tls-client-ca gateways-ca.pem --require-client-cert-for-verify',
  ],
  options: {
    port: integer('--port <number>', 'TCP port (0 picks a free one)', { min: 0, max: 65535 }, { default: '8787', env: 'TOKENS_PORT' }),
    host: text('--host <address>', 'address to listen on', { default: '127.0.0.1', env: 'TOKENS_HOST' }),
    db: text('--db <path>', 'SQLite file (default: $XDG_DATA_HOME/tokens/tokens.db)', { env: 'TOKENS_DB' }),
    databaseUrl: text('--database-url <url>', 'PostgreSQL URL instead of the embedded store', { env: 'TOKENS_DATABASE_URL' }),
    bootstrapFile: text('--bootstrap-file <path>', 'write the first management secret here (0600) instead of printing it'),
    pepperFile: text('--pepper-file <path>', 'HMAC pepper file (default: beside the SQLite file, created 0600)', { env: 'TOKENS_PEPPER_FILE' }),
    secretPrefix: text('--secret-prefix <prefix>', 'prefix of issued secrets, for secret scanners', { default: 'tkn', env: 'TOKENS_SECRET_PREFIX' }),
    publicUrl: text('--public-url <url>', 'the URL clients reach the server at (behind a proxy): the issuer in /.well-known/oauth-authorization-server', {
      env: 'TOKENS_PUBLIC_URL',
    }),
    trustProxy: list('--trust-proxy <cidrs>', 'comma-separated proxies whose X-Forwarded-For/X-Real-IP is believed', { env: 'TOKENS_TRUST_PROXY', repeatable: false }),
    sessionIdleTimeout: duration('--session-idle-timeout <duration>', 'console sessions end after this long without a request', { default: '30m', env: 'TOKENS_SESSION_IDLE_TIMEOUT', minSeconds: 1 }),
    sessionLifetime: duration('--session-lifetime <duration>', 'console sessions end this long after sign-in', { default: '12h', env: 'TOKENS_SESSION_LIFETIME', minSeconds: 1 }),
    logLevel: choice('--log-level <level>', LOG_LEVELS, 'log level', { default: 'info', env: 'TOKENS_LOG_LEVEL' }),
    tlsCert: text('--tls-cert <file>', 'serve HTTPS with this certificate (PEM, with its chain); re-read on SIGHUP and when it changes', { env: 'TOKENS_TLS_CERT' }),
    tlsKey: text('--tls-key <file>', "the certificate's private key (PEM, unencrypted)", { env: 'TOKENS_TLS_KEY' }),
    tlsClientCa: text('--tls-client-ca <file>', 'ask callers for a client certificate issued by this CA (mutual TLS for gateways)', { env: 'TOKENS_TLS_CLIENT_CA' }),
    requireClientCertForVerify: flag('--require-client-cert-for-verify', 'refuse verify calls (introspect, /v1/auth) without a client certificate from --tls-client-ca'),
    usageHistory: flag('--no-usage-history', 'keep only last_used_at and use_count, not the per-hour usage history'),
    usageHourlyRetention: duration('--usage-hourly-retention <duration>', 'how long usage history is kept by hour before it is rolled up into days', {
      default: '14d',
      minSeconds: 86_400,
    }),
    allowPrivateWebhooks: flag('--allow-private-webhooks', 'let webhooks reach loopback, private and link-local addresses (refused by default: SSRF)'),
    burstThreshold: integer('--burst-threshold <n>', 'send auth.denied.burst when one token is refused more than this many times in a minute', { min: 1 }, { default: '50' }),
    webhookTimeout: duration('--webhook-timeout <duration>', 'how long a webhook receiver has to answer one delivery attempt', { default: '10s', minSeconds: 1, maxSeconds: 120 }),
    headersTimeout: duration('--headers-timeout <duration>', 'a connection has this long to send a request line and headers (then 408, closed)', {
      default: '10s',
      env: 'TOKENS_HEADERS_TIMEOUT',
      minSeconds: 1,
      maxSeconds: 3600,
    }),
    requestTimeout: duration('--request-timeout <duration>', 'a connection has this long to send a whole request, body included (then 408, closed)', {
      default: '60s',
      env: 'TOKENS_REQUEST_TIMEOUT',
      minSeconds: 1,
      maxSeconds: 3600,
    }),
    keepAliveTimeout: duration('--keep-alive-timeout <duration>', 'an idle keep-alive connection is closed after this long', {
      default: '72s',
      env: 'TOKENS_KEEP_ALIVE_TIMEOUT',
      minSeconds: 1,
      maxSeconds: 3600,
    }),
    maxConnections: integer('--max-connections <n>', 'connections open at once; more are closed on arrival without an answer (0: no cap)', { min: 0 }, {
      default: '10000',
      env: 'TOKENS_MAX_CONNECTIONS',
    }),
    usageDailyRetention: duration('--usage-daily-retention <duration>', 'how long usage history is kept by day', { default: '400d', minSeconds: 86_400 }),
  },
  async run(opts, ctx) {
    if (opts.db && opts.databaseUrl) throw new UsageError('use either --db or --database-url, not both');
    if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new UsageError('--tls-cert and --tls-key go together (or TOKENS_TLS_CERT and TOKENS_TLS_KEY)');
    if (opts.tlsClientCa && !opts.tlsCert) throw new UsageError('--tls-client-ca needs --tls-cert and --tls-key: client certificates are asked for over TLS');
    if (opts.headersTimeout > opts.requestTimeout) throw new UsageError('--headers-timeout must not be longer than --request-timeout (the headers are part of the request)');
    if (opts.requireClientCertForVerify && !opts.tlsClientCa) throw new UsageError('--require-client-cert-for-verify needs --tls-client-ca FILE (the CA that issues the gateways\' certificates)');
    const [{ startServer }, { TlsConfigError }] = await Promise.all([import('../server/main.js'), import('../server/tls.js')]);
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ ...opts, trustProxy: opts.trustProxy ?? [] }, { stderr: ctx.io.stderr, env: ctx.io.env });
    } catch (err) {
      // A certificate, key or CA that cannot be used is a bad flag value, exit 2 like any other.
      if (err instanceof TlsConfigError) throw new UsageError(err.message);
      throw err;
    }
    // cert-manager and certbot replace the files (they are watched too); SIGHUP asks for a re-read.
    const reload = () => void server.reloadTls();
    if (opts.tlsCert) process.on('SIGHUP', reload);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        process.off('SIGHUP', reload);
        void server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
});
