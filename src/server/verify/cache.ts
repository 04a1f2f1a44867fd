// A bounded map with a time-to-live, least recently used out first (Map keeps insertion order).
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    /** Told about every entry that leaves, whatever the cause, so indexes over the cache stay exact. */
    private readonly onRemove: (key: string, value: V) => void = () => {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live value, or undefined; a hit becomes the most recently used entry. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock()) {
      this.onRemove(key, entry.value);
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.onRemove(key, old.value);
    } else if (this.entries.size >= this.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.onRemove(oldestKey, oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock() + this.ttlMs });
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.onRemove(key, entry.value);
  }

  clear(): void {
    for (const [key, entry] of this.entries) this.onRemove(key, entry.value);
    this.entries.clear();
  }
}
