// A real HTTP receiver for webhook tests: every delivery it gets is checked with the `standardwebhooks`
// library, as a receiver in the field would check it, and recorded with the outcome of that check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';
import { api } from '../helpers/server.js';

/** Worker timings for tests: polls, retries and expiry scans in milliseconds, not seconds or hours. */
export const FAST = { pollMs: 50, retryBaseMs: 100, retryMaxMs: 400, timeoutMs: 1000, expiryScanMs: 100 };

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed event when the signature checked out; null when it did not. */
  event: { type: string; timestamp: string; data: Record<string, any> } | null;
  /** Why the check failed. */
  error: string | null;
  headers: Record<string, string | string[] | undefined>;
}

/** What the receiver does with a request: answer with a status, or hold it without answering. */
export type Behaviour = number | 'hang';

export interface Receiver {
  url: string;
  /** The signing secret to verify with (set once the webhook is created). */
  secret: string | null;
  /** Every request, verified or not, in arrival order. */
  received: Received[];
  /** Deliveries that verified, by event type. */
  events(type?: string): Received[];
  /** How the next requests are answered (default 200). */
  behave(next: Behaviour | ((r: Received) => Behaviour)): void;
  /** Requests being held by 'hang'. */
  readonly hanging: number;
  /** Waits until `predicate` holds over the received deliveries (bounded). */
  waitFor(predicate: (received: Received[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** A receiver on `port` (default: a free one). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let behaviour: Behaviour | ((r: Received) => Behaviour) = 200;
  const held = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      const entry: Received = { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), body, event: null, error: null, headers: req.headers };
      try {
        if (!receiver.secret) throw new Error('no secret to verify with');
        entry.event = new Webhook(receiver.secret).verify(body, { 'webhook-id': entry.id, 'webhook-timestamp': entry.timestamp, 'webhook-signature': entry.signature }) as Received['event'];
      } catch (err) {
        entry.error = (err as Error).message;
      }
      received.push(entry);
      const what = typeof behaviour === 'function' ? behaviour(entry) : behaviour;
      if (what === 'hang') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(what, { 'content-type': 'text/plain' }).end(what < 300 ? 'ok' : `status ${what}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    secret: null,
    received,
    events: (type) => received.filter((r) => r.event !== null && (type === undefined || r.event.type === type)),
    behave(next) {
      behaviour = next;
    },
    get hanging() {
      return held.size;
    },
    async waitFor(predicate, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`the receiver did not get what was expected within ${ms} ms; got ${JSON.stringify(received.map((r) => [r.id, r.event?.type ?? r.error]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}

/** Subscribes `receiver` to `events` through the API, and gives it the webhook's signing secret. */
export async function subscribe(server: { url: string }, admin: string, receiver: Receiver, events: string[]): Promise<void> {
  const res = await api(server, admin, 'POST', '/v1/webhooks', { url: receiver.url, events });
  expect(res.status, res.text).toBe(201);
  receiver.secret = res.body.secret;
}
