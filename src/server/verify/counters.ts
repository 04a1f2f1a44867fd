// Counters bumped on the verify hot path as plain numbers and handed to the shared registry when
// /metrics is rendered: building a label key on every increment would cost more than the check.
import type { Metrics } from '../metrics.js';

export class HotCounter {
  value = 0;
  published = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labels: Record<string, string>,
  ) {}
}

export class HotCounters {
  private readonly counters: HotCounter[] = [];

  constructor(metrics: Metrics) {
    metrics.onCollect(() => {
      for (const c of this.counters) {
        metrics.inc(c.name, c.help, c.labels, c.value - c.published);
        c.published = c.value;
      }
    });
  }

  counter(name: string, help: string, labels: Record<string, string> = {}): HotCounter {
    const counter = new HotCounter(name, help, labels);
    this.counters.push(counter);
    return counter;
  }
}
