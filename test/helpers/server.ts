// A real server on a free port with a temporary SQLite file, for in-process tests.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { startServer, type ServerOptions } from '../../src/server/main.js';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import type { Store } from '../../src/server/store/types.js';
import type { WorkerTimings } from '../../src/server/webhooks/worker.js';
import { collectingStream } from './streams.js';

export interface TestServer {
  url: string;
  dir: string;
  dbPath: string;
  /** The bootstrap management secret; '' when the store was bootstrapped before (a shared database). */
  adminSecret: string;
  /** Every log line the server wrote, as text. */
  logText(): string;
  /** Over TLS: a client trusting the test CA (api() and issue() use it). */
  dispatcher?: Dispatcher;
  /** What SIGHUP does to `tokens server`: re-read the TLS files. */
  reloadTls(): boolean;
  close(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

interface TestServerParts {
  /** Wraps the SQLite store the server uses, e.g. to make it fail on demand. */
  wrapStore?: (store: SqliteStore) => Store;
  /** A store of the test's own to serve instead (e.g. PostgreSQL with short timeouts). */
  store?: Store;
  /** The server's clock, for tests that move time forward. */
  clock?: () => number;
  /** A CA certificate file the test's own client trusts (with overrides.tlsCert). */
  trustCa?: string;
  /** The webhook delivery worker's timings, so retries and scans happen in milliseconds. */
  webhookTimings?: Partial<WorkerTimings>;
}

export async function startTestServer(
  overrides: Partial<ServerOptions> = {},
  env: NodeJS.ProcessEnv = {},
  parts: TestServerParts = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-test-'));
  const dbPath = join(dir, 'tokens.db');
  const bootstrapFile = join(dir, 'bootstrap');
  const logs = collectingStream();
  const stderr = collectingStream();
  const server = await startServer(
    { port: 0, host: '127.0.0.1', db: dbPath, bootstrapFile, secretPrefix: 'tkn', trustProxy: [], logLevel: 'info', ...overrides },
    { stderr, env, logger: pino({ level: overrides.logLevel ?? 'info' }, logs), store: parts.store ?? parts.wrapStore?.(new SqliteStore(dbPath)), clock: parts.clock, webhookTimings: parts.webhookTimings },
  );
  const adminSecret = existsSync(bootstrapFile) ? readFileSync(bootstrapFile, 'utf8').trim() : '';
  const dispatcher = parts.trustCa ? new Agent({ connect: { ca: readFileSync(parts.trustCa) } }) : undefined;
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= server.close().then(() => dispatcher?.close()));
  return {
    url: server.url,
    dir,
    dbPath,
    adminSecret,
    // Start-up lines (stderr) first: what the server logs later is always at the end of the text.
    logText: () => stderr.text + logs.text,
    dispatcher,
    reloadTls: () => server.reloadTls(),
    close,
    async destroy() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** fetch against the test server with a bearer secret; returns status, headers and parsed body. */
export async function api(
  server: { url: string; dispatcher?: Dispatcher },
  secret: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  // Over TLS, undici's own fetch with a client that trusts the test CA.
  const send = server.dispatcher ? (url: string, init: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher: server.dispatcher }) as unknown as Promise<Response> : fetch;
  const res = await send(server.url + path, {
    method,
    headers: {
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
