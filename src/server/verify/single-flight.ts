// One load per key however many callers ask at once: later callers share the first one's promise.
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  /** `load` runs only when no load for `key` is pending; `onShared` counts the callers who joined one. */
  run(key: string, load: () => Promise<V>, onShared?: () => void): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) {
      onShared?.();
      return pending;
    }
    const started = load().finally(() => {
      // A forget() may have let a newer load take this key; leave that one alone.
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    });
    this.inFlight.set(key, started);
    return started;
  }

  /** Later callers start a fresh load instead of joining the pending ones (their data may be stale). */
  forgetAll(): void {
    this.inFlight.clear();
  }

  get pending(): number {
    return this.inFlight.size;
  }
}
