// A real `tokens server` process (bin/tokens.js, the built CLI) on a free port, for tests that kill
// it, cut its database or must see it stay up: the fault suite and at-least-once delivery.
import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { api } from './server.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tokens.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `condition` every 50 ms; throws if it does not hold within `ms`. */
export async function until(condition: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ServerProcess {
  child: ResultPromise;
  url: string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Everything it wrote to stderr and stdout so far. */
  output(): string;
}

/**
 * Starts `tokens server --port <free> ...args` and waits until /readyz answers 200. The caller kills
 * it (SIGKILL in a cleanup): a test that kills it on purpose must be able to.
 */
export async function startServerProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child: ResultPromise = execa('node', [BIN, 'server', '--port', String(port), ...args], {
    reject: false,
    stdin: 'ignore',
    env,
    all: true,
    buffer: { all: true },
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let exited = false;
  void child.then(() => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (exited) throw new Error(`tokens server exited before it was ready:\n${output}`);
    return (await api({ url }, null, 'GET', '/readyz').catch(() => ({ status: 0 }))).status === 200;
  });
  return { child, url, alive: () => !exited, output: () => output };
}
