// `tokens server`: run the reference management API server.
import { defineCommand } from '../cli/define.js';
import { choice, integer, list, text } from '../cli/options.js';
import { UsageError } from '../cli/errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export default defineCommand({
  name: 'server',
  summary: 'Run the management API server (embedded SQLite store by default)',
  description:
    'Serves the management API, the verify endpoints and /openapi.json. On first start with an empty store it creates one\n' +
    'management token and prints its secret once (or writes it 0600 to --bootstrap-file). Logs are JSON lines on stdout.',
  examples: [
    'tokens server',
    'tokens server --port 8787 --db ./tokens.db --bootstrap-file ./bootstrap-token',
    'TOKENS_DATABASE_URL=postgres://127.0.0.1/tokens tokens server --host 0.0.0.0',
  ],
  options: {
    port: integer('--port <number>', 'TCP port (0 picks a free one)', { min: 0, max: 65535 }, { default: '8787', env: 'TOKENS_PORT' }),
    host: text('--host <address>', 'address to listen on', { default: '127.0.0.1', env: 'TOKENS_HOST' }),
    db: text('--db <path>', 'SQLite file (default: $XDG_DATA_HOME/tokens/tokens.db)', { env: 'TOKENS_DB' }),
    databaseUrl: text('--database-url <url>', 'PostgreSQL URL instead of the embedded store', { env: 'TOKENS_DATABASE_URL' }),
    bootstrapFile: text('--bootstrap-file <path>', 'write the first management secret here (0600) instead of printing it'),
    pepperFile: text('--pepper-file <path>', 'HMAC pepper file (default: beside the SQLite file, created 0600)', { env: 'TOKENS_PEPPER_FILE' }),
    secretPrefix: text('--secret-prefix <prefix>', 'prefix of issued secrets, for secret scanners', { default: 'tkn', env: 'TOKENS_SECRET_PREFIX' }),
    trustProxy: list('--trust-proxy <cidrs>', 'comma-separated proxies whose X-Forwarded-For/X-Real-IP is believed', { env: 'TOKENS_TRUST_PROXY', repeatable: false }),
    logLevel: choice('--log-level <level>', LOG_LEVELS, 'log level', { default: 'info', env: 'TOKENS_LOG_LEVEL' }),
  },
  async run(opts, ctx) {
    if (opts.db && opts.databaseUrl) throw new UsageError('use either --db or --database-url, not both');
    const { startServer } = await import('../server/main.js');
    const server = await startServer({ ...opts, trustProxy: opts.trustProxy ?? [] }, { stderr: ctx.io.stderr, env: ctx.io.env });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
});
