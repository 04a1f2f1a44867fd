// A forwarding proxy in front of a real server that can lose answers: the server handles every
// request in full, then `fate` decides whether the client gets the answer, loses the connection,
// or waits forever — how a response lost in transit looks to the client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fate = 'pass' | 'drop' | 'hold';

export interface ForwardedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ForwardingProxy {
  url: string;
  close(): Promise<void>;
}

export async function startForwardingProxy(upstream: () => string, fate: (req: ForwardedRequest) => Fate): Promise<ForwardingProxy> {
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const answer = await fetch(upstream() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    const decided = fate({ method: req.method!, path: req.url!, headers: req.headers });
    if (decided === 'drop') req.socket.destroy();
    if (decided !== 'pass') return;
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
