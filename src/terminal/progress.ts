// A one-line progress bar on stderr, redrawn in place on a terminal; silent anywhere else (and for a
// single item).
import type { IO } from './io.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 80;

export class ProgressBar {
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly io: IO,
    private readonly label: string,
    private readonly total: number,
  ) {
    this.enabled = Boolean(io.stderr.isTTY) && total > 1;
  }

  update(done: number, failed: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const filled = Math.round((done / this.total) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const failures = failed ? this.io.err.red(` ${failed} failed`) : '';
    this.io.stderr.write(`\r\u001b[2K${this.label} ${bar} ${done}/${this.total}${failures}`);
  }

  finish(): void {
    if (this.enabled) this.io.stderr.write('\r\u001b[2K');
  }
}
