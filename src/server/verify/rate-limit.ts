// Per-token rate limits ({requests, per_seconds}) as token buckets held in this process: a bucket
// holds `requests` and refills at requests/per_seconds, so bursts up to the limit pass.
import type { RateLimitRecord } from '../store/types.js';

interface Bucket {
  available: number;
  updatedAt: number;
  limit: RateLimitRecord;
}

export class TokenRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxBuckets = 100_000) {}

  /** Takes one request from the token's bucket: 0 when allowed, else whole seconds until one is free. */
  take(tokenId: string, limit: RateLimitRecord, now: number): number {
    const perMs = limit.requests / (limit.perSeconds * 1000);
    let bucket = this.buckets.get(tokenId);
    if (!bucket || bucket.limit.requests !== limit.requests || bucket.limit.perSeconds !== limit.perSeconds) {
      // New token, or its limit was changed: start full under the current limit.
      if (!bucket && this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { available: limit.requests, updatedAt: now, limit };
      this.buckets.set(tokenId, bucket);
    } else if (now > bucket.updatedAt) {
      bucket.available = Math.min(limit.requests, bucket.available + (now - bucket.updatedAt) * perMs);
      bucket.updatedAt = now;
    }
    if (bucket.available >= 1) {
      bucket.available -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.available) / perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }
}
