// HTTP client of the management API on node:http/https: keep-alive, timeouts, retries with backoff
// for requests that are safe to send twice, problem+json → typed errors, --debug traces with secrets
// redacted. The modules come from process.getBuiltinModule, not an ESM import: importing node:http
// as ESM reads every export, whose lazy getters load Node's internal fetch (and with it zlib, http2,
// worker_threads…), which a CLI run pays for at every start (README, Performance).
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { ApiProblemError, CliError, EXIT, UnreachableError } from '../cli/errors.js';
import type { Credential } from '../credentials/credential.js';
import { redactHeader, redactJson, redactText } from './redact.js';
import { readTrustedCa, tlsFailure, type TrustedCa } from './tls.js';
import { policyRefusal } from './policy-violations.js';
import type { PolicyViolation } from '../shared/policy-rules.js';

export type Query = Record<string, string | number | boolean | undefined>;

interface CallOptions {
  query?: Query;
  body?: unknown;
  /** A body that is JSON text already (a file sent as it is), instead of `body`. */
  rawJson?: string;
  /** Sent as Idempotency-Key; makes a POST safe to retry. */
  idempotencyKey?: string;
  /** The token version the change is based on (If-Match: "<version>"). */
  ifMatch?: number;
  /** Safe to send again after a failure. Defaults to true for GET and for requests with an Idempotency-Key. */
  retry?: boolean;
  /** Present this secret instead of the operator's credential (e.g. to check a new secret works). */
  bearer?: string;
}

interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

/** The server a client talks to: its base URL and, for a private CA, the CA certificate to trust. */
export interface ServerTarget {
  apiUrl: string;
  ca?: TrustedCa;
}

interface HttpClientOptions {
  /** Every request goes here and trusts what it says (so nothing the CLI fetches can skip the CA). */
  target: ServerTarget;
  credential: Credential | null;
  userAgent: string;
  debug?: (line: string) => void;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  maxAttempts?: number;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** The request never reached the server: sending it again is always safe. */
/** Raised by this client: no connection within the connect timeout. */
const CONNECT_TIMEOUT = 'TOKENS_CONNECT_TIMEOUT';
/** Raised by this client: the connection stayed silent (no headers, or no body bytes) for the timeout. */
const IDLE_TIMEOUT = 'TOKENS_IDLE_TIMEOUT';
const NOT_SENT_CODES = new Set(['ECONNREFUSED', CONNECT_TIMEOUT, 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const TIMEOUT_CODES = new Set([CONNECT_TIMEOUT, IDLE_TIMEOUT, 'ETIMEDOUT']);
const MAX_DEBUG_BODY = 4000;

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code === 'EPROTO' ? (opensslCode(current) ?? code) : code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A TLS failure node:https reports as EPROTO (the request was being written when the handshake
 * failed) named the way Node names OpenSSL's reasons elsewhere: "…:SSL routines:…:wrong version
 * number:…" → ERR_SSL_WRONG_VERSION_NUMBER.
 */
function opensslCode(err: unknown): string | undefined {
  const reason = /SSL routines:[^:]*:([^:]+):/.exec((err as { message?: string }).message ?? '')?.[1];
  return reason ? `ERR_SSL_${reason.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_')}` : undefined;
}

class TimeoutError extends Error {
  constructor(readonly code: string) {
    super(code === CONNECT_TIMEOUT ? 'connect timeout' : 'response timeout');
  }
}

interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** From the raw name/value list: res.headers would run Node's table of known header names, which costs a CLI run more than the whole answer. */
function headerMap(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${raw[i + 1]}` : raw[i + 1]!;
  }
  return out;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly send: typeof import('node:http').request;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxAttempts: number;
  readonly origin: string;

  constructor(private readonly opts: HttpClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
    this.origin = new URL(opts.target.apiUrl).origin;
    const ca = opts.target.ca && readTrustedCa(opts.target.ca);
    if (ca) this.trace(`TLS: trusting the CA in ${opts.target.ca!.file} (from ${opts.target.ca!.source}): ${ca.subject}`);
    // Only the module the URL's scheme needs: node:https brings node:tls.
    const mod = this.origin.startsWith('https:') ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    // A CA given replaces the system's roots for this server (as curl --cacert does).
    this.agent = new mod.Agent({ keepAlive: true, ...(ca ? { ca: ca.pem } : {}) });
    this.send = mod.request;
  }

  get credential(): Credential | null {
    return this.opts.credential;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private trace(line: string): void {
    this.opts.debug?.(line);
  }

  private traceBody(body: unknown): void {
    if (!this.opts.debug || body === undefined || body === '') return;
    const text = typeof body === 'string' ? redactText(body) : JSON.stringify(redactJson(body));
    this.trace(`  ${text.length > MAX_DEBUG_BODY ? `${text.slice(0, MAX_DEBUG_BODY)}… (${text.length} chars)` : text}`);
  }

  private url(path: string, query?: Query): string {
    const url = new URL(this.opts.target.apiUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.opts.userAgent };
    const bearer = opts.bearer ?? this.opts.credential?.secret;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const payload = opts.rawJson ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
    const retrySafe = opts.retry ?? (method === 'GET' || Boolean(opts.idempotencyKey));

    const debug = Boolean(this.opts.debug);
    const sent: OutgoingHttpHeaders = payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) };

    for (let attempt = 1; ; attempt++) {
      if (debug) {
        this.trace(`→ ${method} ${redactText(url)}${attempt > 1 ? ` (attempt ${attempt} of ${this.maxAttempts})` : ''}`);
        for (const [k, v] of Object.entries(headers)) this.trace(`  ${k}: ${redactHeader(k, v)}`);
        if (opts.body !== undefined) this.traceBody(opts.body);
        else if (opts.rawJson !== undefined) this.traceBody(opts.rawJson);
      }
      const started = debug ? performance.now() : 0;
      let status: number;
      let resHeaders: Record<string, string>;
      let text: string;
      try {
        const res = await this.exchange(url, method, sent, payload);
        status = res.status;
        resHeaders = res.headers;
        text = res.text;
      } catch (err) {
        const code = errorCode(err);
        if (debug) this.trace(`← ${code ?? 'error'} after ${Math.round(performance.now() - started)} ms`);
        // A certificate that cannot be trusted stays so: say why at once instead of retrying.
        const untrusted = tlsFailure(err, code, this.origin, this.opts.target.ca);
        if (untrusted) throw untrusted;
        const canRetry = attempt < this.maxAttempts && (retrySafe || (code !== undefined && NOT_SENT_CODES.has(code)));
        if (canRetry) {
          await this.backoff(attempt);
          continue;
        }
        throw this.networkError(err, code, method !== 'GET');
      }
      if (debug) this.trace(`← ${status} in ${Math.round(performance.now() - started)} ms${resHeaders['x-request-id'] ? ` (request id ${resHeaders['x-request-id']})` : ''}`);
      const parsed = this.parse(text, resHeaders);
      this.traceBody(parsed);

      if (status >= 200 && status < 300) return { status, body: parsed as T, headers: resHeaders };
      const problem = this.problem(status, parsed, resHeaders);
      const inFlight = status === 409 && problem.code === 'idempotency_in_flight' && Boolean(opts.idempotencyKey);
      if (attempt < this.maxAttempts && retrySafe && (RETRY_STATUSES.has(status) || inFlight)) {
        await this.backoff(attempt, resHeaders['retry-after']);
        continue;
      }
      throw problem;
    }
  }

  /**
   * One request and its whole response body. The connect timeout runs until the socket is connected
   * (a reused keep-alive socket has none); after that, the timeout is the longest the connection may
   * stay silent — waiting for the headers or between body chunks.
   */
  private exchange(url: string, method: string, headers: OutgoingHttpHeaders, payload: string | undefined): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      let connectTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const req = this.send(url, { method, headers, agent: this.agent });
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        req.destroy(err);
        reject(err);
      };
      req.on('error', fail);
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail(new TimeoutError(CONNECT_TIMEOUT)), this.connectTimeoutMs);
        socket.once(this.origin.startsWith('https:') ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      req.setTimeout(this.timeoutMs, () => fail(new TimeoutError(IDLE_TIMEOUT)));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('the connection closed before the whole response arrived'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(connectTimer);
          resolve({ status: res.statusCode ?? 0, headers: headerMap(res.rawHeaders), text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(payload);
    });
  }

  private async backoff(attempt: number, retryAfter?: string): Promise<void> {
    const fromServer = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter), 10) * 1000 : undefined;
    const ms = fromServer ?? Math.round(250 * 2 ** (attempt - 1) * (0.5 + Math.random()));
    this.trace(`  retrying in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private parse(text: string, headers: Record<string, string>): unknown {
    if (!text) return undefined;
    if (!/json/i.test(headers['content-type'] ?? '')) return text;
    try {
      return JSON.parse(text);
    } catch {
      throw new CliError(`the server at ${this.origin} sent malformed JSON`, EXIT.error, 'is the API URL pointing at a tokens server?');
    }
  }

  private problem(status: number, body: unknown, headers: Record<string, string>): ApiProblemError {
    const p = (body && typeof body === 'object' ? body : {}) as {
      detail?: string;
      code?: string;
      request_id?: string;
      candidates?: string[];
      errors?: { field: string; message: string }[];
      violations?: PolicyViolation[];
    };
    const requestId = p.request_id ?? headers['x-request-id'];
    const code = p.code ?? `http_${status}`;
    if (!p.detail) {
      return new ApiProblemError(status, code, `the server at ${this.origin} answered HTTP ${status}`, requestId, undefined, 'is the API URL pointing at a tokens server? (tokens profile list)');
    }
    let message = p.detail;
    let hint: string | undefined;
    if (status === 401) {
      message = `authentication failed: ${p.detail}`;
      const origin = this.opts.credential?.origin;
      hint = origin ? `the credential from ${origin} was not accepted; run "tokens login" again` : undefined;
    } else if (status === 429 && headers['retry-after']) {
      message = `${p.detail} (retry after ${headers['retry-after']} s)`;
    } else if (status >= 500) {
      message = `server error: ${p.detail}`;
      hint = requestId ? `request id ${requestId} identifies it in the server log` : undefined;
    } else if (code === 'policy_violation' && Array.isArray(p.violations) && p.violations.length) {
      ({ message, hint } = policyRefusal(p.violations));
    }
    return new ApiProblemError(status, code, message, requestId, p.candidates, hint);
  }

  private networkError(err: unknown, code: string | undefined, changes: boolean): CliError {
    const hint = 'is the server running? Check the API URL with "tokens profile list" (or TOKENS_API_URL)';
    if (changes && code === 'ECONNRESET') {
      return new UnreachableError(`lost the connection to the tokens server at ${this.origin} before it answered`, 'the change may or may not have been made: check (e.g. tokens list) before trying again');
    }
    if (code && TIMEOUT_CODES.has(code)) {
      const what = code === CONNECT_TIMEOUT ? 'connecting to' : 'waiting for';
      return new UnreachableError(`timed out ${what} the tokens server at ${this.origin}`, hint);
    }
    if (code === 'ECONNREFUSED') return new UnreachableError(`cannot reach the tokens server at ${this.origin}: connection refused`, hint);
    if (code === 'ENOTFOUND') return new UnreachableError(`cannot reach the tokens server at ${this.origin}: unknown host`, hint);
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return new UnreachableError(`cannot reach the tokens server at ${this.origin}: ${code ?? message}`, hint);
  }
}
