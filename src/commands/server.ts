// `tokens server`: run the reference management API server.
import { defineCommand } from '../cli/define.js';
import { UsageError } from '../cli/errors.js';

interface ServerOpts {
  port: string;
  host: string;
  db?: string;
  databaseUrl?: string;
  bootstrapFile?: string;
  pepperFile?: string;
  secretPrefix: string;
  trustProxy?: string;
  logLevel: string;
}

export default defineCommand<ServerOpts>({
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
  options: [
    { flags: '--port <number>', description: 'TCP port (0 picks a free one)', defaultValue: '8787', env: 'TOKENS_PORT' },
    { flags: '--host <address>', description: 'address to listen on', defaultValue: '127.0.0.1', env: 'TOKENS_HOST' },
    { flags: '--db <path>', description: 'SQLite file (default: $XDG_DATA_HOME/tokens/tokens.db)', env: 'TOKENS_DB' },
    { flags: '--database-url <url>', description: 'PostgreSQL URL instead of the embedded store', env: 'TOKENS_DATABASE_URL' },
    { flags: '--bootstrap-file <path>', description: 'write the first management secret here (0600) instead of printing it' },
    { flags: '--pepper-file <path>', description: 'HMAC pepper file (default: beside the SQLite file, created 0600)', env: 'TOKENS_PEPPER_FILE' },
    { flags: '--secret-prefix <prefix>', description: 'prefix of issued secrets, for secret scanners', defaultValue: 'tkn', env: 'TOKENS_SECRET_PREFIX' },
    { flags: '--trust-proxy <cidrs>', description: 'comma-separated proxies whose X-Forwarded-For/X-Real-IP is believed', env: 'TOKENS_TRUST_PROXY' },
    { flags: '--log-level <level>', description: 'log level', defaultValue: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'], env: 'TOKENS_LOG_LEVEL' },
  ],
  async run(opts, ctx) {
    const port = Number(opts.port);
    if (!/^\d{1,5}$/.test(opts.port) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${opts.port}"`);
    if (opts.db && opts.databaseUrl) throw new UsageError('use either --db or --database-url, not both');
    const { startServer } = await import('../server/main.js');
    const server = await startServer(
      {
        port,
        host: opts.host,
        db: opts.db,
        databaseUrl: opts.databaseUrl,
        bootstrapFile: opts.bootstrapFile,
        pepperFile: opts.pepperFile,
        secretPrefix: opts.secretPrefix,
        trustProxy: opts.trustProxy ? opts.trustProxy.split(',').map((s) => s.trim()).filter(Boolean) : [],
        logLevel: opts.logLevel,
      },
      { stderr: ctx.io.stderr, env: ctx.io.env },
    );
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
