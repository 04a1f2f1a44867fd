// SQLite's WAL checkpoints, run on a worker thread with its own connection instead of inside whichever
// commit on the event loop pushes the WAL past 1,000 pages. A checkpoint copies the WAL's pages back
// into the database file and syncs it: after a usage flush of ~1,600 tokens spread over a
// 1,000,000-token table that is ~60 ms, during which no request would be answered (bench/RESULTS.md,
// cold latency). PASSIVE checkpoints wait for no reader or writer, so the server's connection goes on
// reading and committing meanwhile; WAL mode's crash safety is the same whoever checkpoints.
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints: the most writes the WAL gathers between two checkpoints. */
const CHECKPOINT_INTERVAL_MS = 500;

// CommonJS, run with eval: the built CLI is one bundle, with no worker file beside it.
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
// The lowest CPU priority for this thread alone (Linux: setpriority on its thread id), so that on a
// single core a checkpoint never holds up the requests the main thread is answering.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
} catch {
  // Elsewhere it runs at the process's priority.
}
const db = new DatabaseSync(workerData.path);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch (err) {
    // Busy or locked: the next tick tries again.
    if (!/locked|busy/i.test(String(err && err.message))) throw err;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopped = false;

  /**
   * Starts checkpointing `path` (a database already in WAL mode). `onFailure` runs if the worker
   * stops on its own: the caller then turns SQLite's automatic checkpoints back on, so the WAL never
   * grows without bound.
   */
  constructor(path: string, onFailure: (err: unknown) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs: CHECKPOINT_INTERVAL_MS } });
    // Never what keeps a process alive.
    this.worker.unref();
    let error: unknown;
    this.worker.once('error', (err) => (error = err));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.stopped) onFailure(error ?? new Error(`the checkpoint worker exited with code ${code}`));
        resolve();
      });
    });
  }

  /** Closes the worker's connection (before the server's own, which then checkpoints what is left). */
  async stop(): Promise<void> {
    this.stopped = true;
    // Referenced while it closes, or a process with nothing else left to do would exit before it has.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
