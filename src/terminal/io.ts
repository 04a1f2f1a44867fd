// The one IO object: streams, environment, whether each stream is a terminal, colour, and whether
// prompting is allowed. Everything that writes to the user goes through it.
import { palette, type Palette } from './style.js';

export type Env = Record<string, string | undefined>;

interface Streams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Env;
}

export interface IO extends Streams {
  /** stdout is a terminal: tables, colour, relative times. */
  readonly isTTY: boolean;
  readonly stdinIsTTY: boolean;
  readonly colorEnabled: boolean;
  /** Colours for stdout and for stderr, each decided from its own stream and NO_COLOR/FORCE_COLOR. */
  readonly out: Palette;
  readonly err: Palette;
  readonly columns: number;
  /** Prompts only when both ends are terminals and not in CI. */
  canPrompt(): boolean;
  /** All of stdin as text (read once; later calls get the same text). */
  readStdin(): Promise<string>;
  warn(message: string): void;
  info(message: string): void;
}

function colorFor(stream: { isTTY?: boolean }, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

const MAX_STDIN_BYTES = 4 * 1024 * 1024;

/** `streams.stdin` is read only when a command uses it: process.stdin is a getter that builds a stream (and loads Node's file streams) on first use. */
export function createIO(streams: Streams): IO {
  const { stdout, stderr, env } = streams;
  const outColor = colorFor(stdout, env);
  const errPalette = palette(colorFor(stderr, env));
  let stdinText: Promise<string> | undefined;
  return {
    get stdin() {
      return streams.stdin;
    },
    stdout,
    stderr,
    env,
    isTTY: Boolean(stdout.isTTY),
    get stdinIsTTY() {
      return Boolean(streams.stdin.isTTY);
    },
    colorEnabled: outColor,
    out: palette(outColor),
    err: errPalette,
    columns: stdout.columns && stdout.columns > 20 ? stdout.columns : 100,
    canPrompt() {
      const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
      return Boolean(streams.stdin.isTTY && stdout.isTTY) && !ci;
    },
    readStdin() {
      stdinText ??= (async () => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of streams.stdin) {
          const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += buf.length;
          if (size > MAX_STDIN_BYTES) throw new Error('standard input is larger than 4 MiB');
          chunks.push(buf);
        }
        return Buffer.concat(chunks).toString('utf8');
      })();
      return stdinText;
    },
    warn(message) {
      stderr.write(`${errPalette.yellow('warning:')} ${message}\n`);
    },
    info(message) {
      stderr.write(`${message}\n`);
    },
  };
}
