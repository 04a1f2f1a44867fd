// What node's HTTP server answers before any route sees the request — the parser refusing it (a URL
// or headers over 16 KiB, a bare CR, NUL in a header, two Content-Length, Transfer-Encoding beside
// Content-Length, a bad chunk size, folded headers), a request that did not arrive in time, an
// Expect the server does not meet — answered as every other error: problem+json with a stable code,
// X-Request-Id and the hardening headers, then the connection is closed. Only error paths run here.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, problemDocument, TITLES } from './problems.js';
import { HSTS, requestIdFor, SECURITY_HEADERS } from './response-basics.js';

/** How long a refused connection may take to read the answer before it is closed regardless. */
const LINGER_MS = 2_000;

/** The answer to a parser error, or null when there is no one to answer (the peer went away). */
export function clientErrorProblem(err: Error & { code?: string; reason?: string }): ApiError | null {
  switch (err.code) {
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'headers_too_large', 'the request line and headers are larger than the server accepts (16 KiB)');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiError(413, 'body_too_large', 'the chunk extensions are larger than the server accepts');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'request_timeout', 'the request headers or body did not arrive in time');
    default: {
      // llhttp's reasons are fixed texts ("Invalid header value char"); the request's bytes are never echoed.
      const reason = typeof err.reason === 'string' && /^[\w '.,:-]{1,80}$/.test(err.reason) ? `: ${err.reason.toLowerCase()}` : '';
      return new ApiError(400, 'malformed_request', `the request is not well-formed HTTP/1.1${reason}`);
    }
  }
}

/** A complete HTTP/1.1 response for `err`, closing the connection. */
export function rawProblemResponse(err: ApiError, requestId: string, hsts: boolean): string {
  const body = JSON.stringify(problemDocument(err, requestId));
  const lines = [
    `HTTP/1.1 ${err.status} ${TITLES[err.status] ?? 'Error'}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${requestId}`,
    ...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`),
    ...(hsts ? [`${HSTS[0]}: ${HSTS[1]}`] : []),
    'connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const answered = new WeakSet<Socket>();

/**
 * Sends `err` as the last answer on `socket` and closes it (returns its status): unless a response is
 * already under way there (then it is just closed, and 0 returned). What the client still sends is read and dropped meanwhile, so the
 * close does not reset the connection before the client has read the answer.
 */
export function answerAndClose(socket: Socket, err: ApiError | null, hsts: boolean): number {
  if (answered.has(socket)) return 0;
  answered.add(socket);
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (err === null || !socket.writable || (inFlight && inFlight.headersSent)) {
    socket.destroy();
    return 0;
  }
  socket.end(rawProblemResponse(err, randomUUID(), hsts));
  socket.resume();
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  return err.status;
}

/**
 * A refusal sent before the request body was read (413): the client may still be sending it, and a
 * close with its bytes unread resets the connection — many clients then report the reset and never
 * read the answer. So the rest of the body is read and dropped, and once the answer is out the
 * connection is half-closed and given LINGER_MS for the client to read it before it is closed.
 */
export function lingerBeforeClose(req: IncomingMessage): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  req.resume();
  // Node calls destroySoon once a Connection: close answer is written.
  socket.destroySoon = () => {
    socket.end();
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  };
}

/** fastify's clientErrorHandler: the parser's refusal (or a request that timed out) as problem+json; the status sent, or 0. */
export function answerClientError(err: Error & { code?: string; reason?: string }, socket: Socket, hsts: boolean): number {
  return answerAndClose(socket, clientErrorProblem(err), hsts);
}

/** `Expect: 100-continue` is met as node meets it; any other expectation gets 417, in the same form. */
export function answerExpectations(server: Server, hsts: boolean): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const err = new ApiError(417, 'expectation_failed', 'the server meets only Expect: 100-continue');
    const requestId = requestIdFor(req.headers['x-request-id']);
    const body = JSON.stringify(problemDocument(err, requestId));
    const headers: [string, string][] = [
      ['content-type', 'application/problem+json; charset=utf-8'],
      ['content-length', String(Buffer.byteLength(body))],
      ['x-request-id', requestId],
      ...SECURITY_HEADERS.map(([n, v]) => [n, v] as [string, string]),
      ...(hsts ? [[HSTS[0], HSTS[1]] as [string, string]] : []),
      ['connection', 'close'],
    ];
    res.writeHead(417, headers.flat());
    res.end(body);
  });
}
