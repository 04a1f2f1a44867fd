// `tokens server`: open the store, load the pepper, bootstrap an empty store, listen, shut down gracefully.
// First, before start-up's collections: keeps nextTick fast (see the module).
import './verify/tick-shape.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import pino, { type Logger } from 'pino';
import { buildApp } from './app.js';
import { DEFAULT_USAGE_RETENTION } from './service/usage-history.js';
import type { WorkerTimings } from './webhooks/worker.js';
import { loadOrCreatePepperFile, parsePeppers, type Peppers } from './pepper.js';
import { DEFAULT_SESSION_SETTINGS } from './service/sessions.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';
import { ServedCertificate } from './tls.js';
import { isLoopbackHost } from '../shared/loopback.js';
import { SECRET_PREFIX_PATTERN } from '../shared/secret.js';
import { VERSION } from '../version.js';

export interface ServerOptions {
  port: number;
  host: string;
  db?: string;
  databaseUrl?: string;
  bootstrapFile?: string;
  pepperFile?: string;
  secretPrefix: string;
  trustProxy: string[];
  /** The URL clients reach the server at (behind a proxy), published as the OAuth issuer. */
  publicUrl?: string;
  logLevel: string;
  bodyLimit?: number;
  /** HTTPS: the certificate (PEM, with its chain) and its key; both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** Mutual TLS: ask callers for a certificate issued by this CA. */
  tlsClientCa?: string;
  /** Refuse verify calls without a certificate from tlsClientCa. */
  requireClientCertForVerify?: boolean;
  /** Keep the per-hour usage history (default on). */
  usageHistory?: boolean;
  /** Seconds of hourly history before hours roll up into days (default 14 days). */
  usageHourlyRetention?: number;
  /** Seconds of daily history kept (default 400 days). */
  usageDailyRetention?: number;
  /** Webhooks may target loopback, private and link-local addresses. */
  allowPrivateWebhooks?: boolean;
  /** auth.denied.burst when one token is refused more than this many times within a minute. */
  burstThreshold?: number;
  /** Seconds a webhook receiver has to answer one attempt (default 10). */
  webhookTimeout?: number;
  /** Console sessions end after this many seconds without a request… */
  sessionIdleTimeout?: number;
  /** …and this many seconds after sign-in. */
  sessionLifetime?: number;
  /** Seconds a connection has to send a request's headers (default 10). */
  headersTimeout?: number;
  /** Seconds a connection has to send a whole request (default 60). */
  requestTimeout?: number;
  /** Seconds an idle keep-alive connection stays open (default 72). */
  keepAliveTimeout?: number;
  /** Connections open at once (default 10000; 0: no cap). */
  maxConnections?: number;
}

function defaultDbPath(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'tokens', 'tokens.db');
}

async function openStore(opts: ServerOptions, env: NodeJS.ProcessEnv): Promise<Store> {
  if (opts.databaseUrl) {
    const { openPostgresStore } = await import('./store/postgres.js');
    return openPostgresStore(opts.databaseUrl);
  }
  return new SqliteStore(opts.db ?? defaultDbPath(env));
}

function loadPeppers(opts: ServerOptions, env: NodeJS.ProcessEnv): Peppers {
  if (env.TOKENS_PEPPER) return parsePeppers(env.TOKENS_PEPPER.replace(/[,;]/g, '\n'), 'TOKENS_PEPPER');
  if (opts.pepperFile) return loadOrCreatePepperFile(opts.pepperFile);
  if (opts.databaseUrl) {
    throw new Error('a shared database needs the same pepper on every instance: set TOKENS_PEPPER or --pepper-file');
  }
  return loadOrCreatePepperFile(`${opts.db ?? defaultDbPath(env)}.pepper`);
}

/** `--public-url` as an RFC 8414 issuer: http(s), no query, fragment or credentials, no trailing slash. */
function publicUrlOf(given: string | undefined): string | undefined {
  if (given === undefined || given === '') return undefined;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    url = new URL('x:');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error('--public-url must be an http(s) URL without query, fragment or credentials, e.g. https://tokens.example.com');
  }
  return url.href.replace(/\/+$/, '');
}

interface RunningServer {
  url: string;
  /** Re-reads the TLS files (SIGHUP); false when they were refused (the previous pair stays) or TLS is off. */
  reloadTls(): boolean;
  close(): Promise<void>;
}

export async function startServer(
  opts: ServerOptions,
  io: {
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
    logger?: Logger | false;
    /** A store to serve instead of the one `opts` names (tests wrap one to inject faults). */
    store?: Store;
    clock?: () => number;
    /** The delivery worker's timings (tests make retries fast). */
    webhookTimings?: Partial<WorkerTimings>;
  } = { stderr: process.stderr, env: process.env },
): Promise<RunningServer> {
  if ((opts.usageDailyRetention ?? Infinity) < (opts.usageHourlyRetention ?? DEFAULT_USAGE_RETENTION.hourlyMs / 1000)) {
    throw new Error('--usage-daily-retention must be at least --usage-hourly-retention');
  }
  if (!SECRET_PREFIX_PATTERN.test(opts.secretPrefix) || opts.secretPrefix === 'tok' || opts.secretPrefix === 'evt') {
    throw new Error('--secret-prefix must be 2–8 lowercase letters/digits, starting with a letter, and not "tok" or "evt"');
  }
  const publicUrl = publicUrlOf(opts.publicUrl);
  const logger = io.logger ?? pino({ level: opts.logLevel, base: { service: 'tokens', version: VERSION } });
  // Checked before the store is touched, so a bad certificate leaves nothing behind.
  const certificate = opts.tlsCert && opts.tlsKey ? new ServedCertificate({ cert: opts.tlsCert, key: opts.tlsKey, clientCa: opts.tlsClientCa }, logger) : null;
  const peppers = loadPeppers(opts, io.env);
  const store = io.store ?? (await openStore(opts, io.env));
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  const { app, ctx } = await buildApp({
    store,
    peppers,
    secretPrefix: opts.secretPrefix,
    logger,
    trustProxy: opts.trustProxy,
    publicUrl,
    bodyLimit: opts.bodyLimit,
    connections: {
      ...(opts.headersTimeout === undefined ? {} : { headersTimeoutMs: opts.headersTimeout * 1000 }),
      ...(opts.requestTimeout === undefined ? {} : { requestTimeoutMs: opts.requestTimeout * 1000 }),
      ...(opts.keepAliveTimeout === undefined ? {} : { keepAliveTimeoutMs: opts.keepAliveTimeout * 1000 }),
      ...(opts.maxConnections === undefined ? {} : { maxConnections: opts.maxConnections }),
    },
    clock: io.clock,
    tls: certificate
      ? { server: certificate.serverOptions(), clientCertificates: opts.tlsClientCa ? { required: Boolean(opts.requireClientCertForVerify) } : null }
      : undefined,
    usageHistory: opts.usageHistory,
    allowPrivateWebhooks: opts.allowPrivateWebhooks,
    burstThreshold: opts.burstThreshold,
    webhookTimings: { ...(opts.webhookTimeout === undefined ? {} : { timeoutMs: opts.webhookTimeout * 1000 }), ...io.webhookTimings },
    usageRetention: {
      hourlyMs: (opts.usageHourlyRetention ?? DEFAULT_USAGE_RETENTION.hourlyMs / 1000) * 1000,
      dailyMs: (opts.usageDailyRetention ?? DEFAULT_USAGE_RETENTION.dailyMs / 1000) * 1000,
    },
    sessions: {
      idleTimeoutMs: (opts.sessionIdleTimeout ?? DEFAULT_SESSION_SETTINGS.idleTimeoutMs / 1000) * 1000,
      lifetimeMs: (opts.sessionLifetime ?? DEFAULT_SESSION_SETTINGS.lifetimeMs / 1000) * 1000,
    },
  });
  ctx.usage.start();
  // A shared store reports what other instances changed: verify caches drop those tokens, or
  // everything while the feed cannot be read (fail closed).
  const stopWatching = store.watchChanges?.({
    onChange: (ids) => ctx.changes.tokensChanged(ids),
    onReset: () => ctx.changes.reset(),
    onHealth: (healthy, message) => {
      ctx.changes.health(healthy);
      if (logger) logger[healthy ? 'info' : 'warn']({ store: store.kind }, message);
    },
  });
  // Idempotency replays are kept 24 h, console sessions until they end; sweep older ones now and then.
  // Usage history rolls hours up into days and drops old days on the same schedule.
  const sweep = () => {
    void store.deleteExpiredIdempotency(ctx.deps.clock()).catch((err) => logger && logger.warn({ err: String(err) }, 'idempotency sweep failed'));
    void ctx.usageHistory.rollUp().catch((err) => logger && logger.warn({ err: String(err) }, 'usage history roll-up failed'));
    void ctx.webhookWorker.prune().catch((err) => logger && logger.warn({ err: String(err) }, 'webhook delivery prune failed'));
    void ctx.sessions.sweep().catch((err) => logger && logger.warn({ err: String(err) }, 'session sweep failed'));
  };
  sweep();
  const sweeper = setInterval(sweep, 15 * 60_000);
  sweeper.unref();

  const boot = await ctx.tokens.bootstrap();
  if (boot) {
    if (opts.bootstrapFile) {
      writeFileSync(opts.bootstrapFile, `${boot.secret}\n`, { mode: 0o600, flag: 'wx' });
      io.stderr.write(`Created the first management token (${boot.token.id}); its secret is in ${opts.bootstrapFile}\n`);
    } else {
      io.stderr.write(
        `\nCreated the first management token (${boot.token.id}, name "bootstrap").\n` +
          `Its secret is shown this once; store it now (e.g. \`tokens login --token-stdin\`):\n\n    ${boot.secret}\n\n`,
      );
    }
  }

  let address: string;
  try {
    address = await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await ctx.usage.stop();
    await store.close();
    throw err;
  }
  const url = address.replace('[::]', '[::1]').replace('0.0.0.0', '127.0.0.1');
  // Webhook deliveries (and expiry warnings) once the server is up: what a previous run left in the
  // outbox goes out now.
  ctx.webhookWorker.start();
  // With TLS, serverFactory made an https.Server (verify/fast-path.ts); fastify's types only know http.
  certificate?.follow(app.server as unknown as HttpsServer);
  if (logger) {
    logger.info({ url, console: `${url}/`, store: store.kind, schema_version: await store.schemaVersion(), ...(certificate ? { tls: certificate.summary } : {}) }, 'listening');
    if (!certificate && !isLoopbackHost(opts.host)) {
      logger.warn(
        { host: opts.host },
        'listening beyond this machine without TLS: tokens cross the network in clear; serve HTTPS with --tls-cert FILE --tls-key FILE (or put a TLS proxy in front)',
      );
    }
  }
  io.stderr.write(`Console: ${url}/ (sign in with a token secret)\n`);

  let closing: Promise<void> | null = null;
  return {
    url,
    reloadTls: () => certificate?.reload('SIGHUP') ?? false,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        certificate?.stop();
        await app.close();
        await stopWatching?.();
        await ctx.verifier.releaseLeases();
        await ctx.authLimiter.stop();
        await ctx.usage.stop();
        await ctx.webhookWorker.stop();
        await store.close();
        if (logger) logger.info('stopped');
      })()),
  };
}
