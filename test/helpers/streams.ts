// A writable stream that keeps everything written to it: server logs, a fake terminal's output.
import { Writable } from 'node:stream';

export type CollectingStream = Writable & {
  /** Everything written so far, as one string. */
  readonly text: string;
};

export function collectingStream(): CollectingStream {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return Object.defineProperty(stream, 'text', { get: () => chunks.join('') }) as CollectingStream;
}
