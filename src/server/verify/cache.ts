// A bounded map with a time-to-live, least recently used out first. Map keeps insertion order, so
// re-inserting a key marks it recent; a hit does that only once the entry has aged past half the
// bound (a delete and re-insert on every hit of a hot key would keep the table rehashing).
interface Entry<V> {
  value: V;
  expiresAt: number;
  /** `inserts` when the entry was (re)inserted. */
  stamp: number;
}

export class BoundedCache<V, K = string> {
  private readonly entries = new Map<K, Entry<V>>();
  private inserts = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    /** Told about every entry that leaves, whatever the cause, so indexes over the cache stay exact. */
    private readonly onRemove: (key: K, value: V) => void = () => {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live value, or undefined (`now`: the caller's reading of the same clock). */
  get(key: K, now = this.clock()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      this.onRemove(key, entry.value);
      return undefined;
    }
    if (this.inserts - entry.stamp > this.maxEntries >>> 1) {
      this.entries.delete(key);
      entry.stamp = ++this.inserts;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.onRemove(key, old.value);
    } else if (this.entries.size >= this.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.onRemove(oldestKey, oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock() + this.ttlMs, stamp: ++this.inserts });
  }

  delete(key: K): void {
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
