// A real server (test/helpers/server.ts) whose clock the test moves forward, so an overlap or an
// expiry can end without the test waiting for it.
import { startTestServer, type TestServer } from './server.js';

export interface ClockServer extends TestServer {
  /** Moves the server's clock forward. */
  advance(seconds: number): void;
  now(): number;
}

export async function startClockServer(): Promise<ClockServer> {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const server = await startTestServer({}, {}, { clock: now });
  return {
    ...server,
    now,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
  };
}
