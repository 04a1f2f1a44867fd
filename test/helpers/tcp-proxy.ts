// A TCP proxy a test owns, in front of the test PostgreSQL server, to partition one instance from
// the database without touching anyone else's connections: black-hole it (bytes stop flowing both
// ways, nothing is closed — as a dead link or a dropped route looks), cut it (every connection
// reset, new ones refused), and heal it.
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** `target` with the proxy's host and port in it. */
  url: string;
  /** Stops every byte in both directions; connections stay open, new ones are accepted and stall. */
  blackhole(): void;
  /** Resets every connection and refuses new ones. */
  cut(): void;
  /** Forwards again (black-holed bytes then flow on, as TCP retransmission would deliver them). */
  heal(): void;
  /** The local ports of the proxy's connections to the target (pg_stat_activity.client_port). */
  upstreamPorts(): number[];
  close(): Promise<void>;
}

type Mode = 'open' | 'blackhole' | 'cut';

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const to = new URL(target);
  let mode: Mode = 'open';
  const pairs = new Set<{ client: Socket; upstream: Socket }>();

  const server = createServer((client) => {
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: to.hostname, port: Number(to.port || 5432) });
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
    if (mode === 'blackhole') {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);

  return {
    url: url.toString(),
    blackhole() {
      mode = 'blackhole';
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    cut() {
      mode = 'cut';
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
    },
    heal() {
      mode = 'open';
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    upstreamPorts: () => [...pairs].map((p) => p.upstream.localPort).filter((p): p is number => p !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
