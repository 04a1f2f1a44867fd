// HTTP/1.1 by hand over node:net (or node:tls), for requests no well-behaved client sends: malformed
// framing, oversized headers, bodies streamed past the limit. Collects the answer until the server
// closes the connection.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How the connection ended: 'closed' (FIN), 'reset', or 'timeout' (still open after the wait). */
  ended: 'closed' | 'reset' | 'timeout';
  raw: string;
}

export interface RawOptions {
  /** Over TLS, trusting this CA (PEM). */
  ca?: string;
  /** Give up waiting for the server to close after this long (the answer so far is returned). */
  waitMs?: number;
  /** Called once connected, to keep writing (e.g. stream a large body); `request` goes first. */
  thenWrite?: (socket: Socket) => void;
}

export function parseAnswer(raw: string): Omit<RawAnswer, 'ended' | 'raw'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const [statusLine, ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = split < 0 ? '' : raw.slice(split + 4);
  const length = headers['content-length'];
  if (length !== undefined) body = Buffer.from(body).subarray(0, Number(length)).toString();
  return { status, headers, body };
}

/** Sends `request` (bytes as given) to `url`'s host and port, and reads the first answer. */
export function rawRequest(url: string, request: string | Buffer, opts: RawOptions = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const socket: Socket = opts.ca
      ? tlsConnect({ host: hostname, port: Number(port), ca: opts.ca, servername: 'localhost' })
      : netConnect({ host: hostname, port: Number(port) });
    const finish = (ended: RawAnswer['ended']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ ...parseAnswer(raw), ended, raw });
    };
    const timer = setTimeout(() => finish('timeout'), opts.waitMs ?? 5_000);
    socket.once(opts.ca ? 'secureConnect' : 'connect', () => {
      socket.write(request);
      opts.thenWrite?.(socket);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed'));
    socket.on('close', () => finish('closed'));
  });
}
