// One delivery attempt over HTTP: a POST with a time limit, to a public address only (unless private
// ones are allowed), never following a redirect, reading at most a little of the answer.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ForbiddenAddressError, guardedLookup, isForbiddenAddress } from './address-policy.js';

export interface AttemptResult {
  ok: boolean;
  /** The HTTP status, when there was an answer. */
  status: number | null;
  /** Why it did not succeed, in one line (never the body we sent). */
  error: string | null;
}

const ANSWER_BYTES = 512;

export function postOnce(url: URL, headers: Record<string, string>, body: string, opts: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal }): Promise<AttemptResult> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && isIP(host) && isForbiddenAddress(host)) {
    return Promise.resolve({ ok: false, status: null, error: `${host} is a loopback, private, link-local or metadata address` });
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const done = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        signal,
        agent: false,
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }),
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (answer.length < ANSWER_BYTES) answer += chunk.slice(0, ANSWER_BYTES - answer.length);
        });
        res.on('error', () => undefined);
        res.on('end', () => {
          if (status >= 200 && status < 300) return done({ ok: true, status, error: null });
          if (status >= 300 && status < 400) return done({ ok: false, status, error: `answered ${status} (a redirect, which webhooks do not follow)` });
          const excerpt = answer.replace(/\s+/g, ' ').trim().slice(0, 200);
          done({ ok: false, status, error: `answered ${status}${excerpt ? `: ${excerpt}` : ''}` });
        });
      },
    );
    req.on('error', (err: Error) => {
      const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
      const message = timedOut ? `no answer within ${Math.round(opts.timeoutMs / 100) / 10} s` : err instanceof ForbiddenAddressError ? err.message : `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`;
      done({ ok: false, status: null, error: message.split('\n')[0]! });
    });
    req.end(body);
  });
}
