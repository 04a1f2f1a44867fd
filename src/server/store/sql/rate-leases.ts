// Shared rate limits' statements (README "Limits and quotas"): the leased shares of a token's budget,
// granted under a per-token lock so that two instances never hand out the same share.
import type { RateLeaseGrant, RateLeaseRequest } from '../types.js';
import type { SqlSession } from './driver.js';

/** Gives a lease back with what was used of it (a lease already given back is left alone). */
export async function returnRateLease(session: SqlSession, leaseId: string, used: number, now: number): Promise<void> {
  await session.run('UPDATE rate_leases SET used = ?, returned_at = ? WHERE id = ? AND returned_at IS NULL', [used, now, leaseId]);
}

/**
 * The sliding window: a lease held charges what it was granted until it ends; one given back charges
 * what was used of it until a window after it came back (every admission it made lies before that);
 * one past its end and never given back (its instance died) charges nothing. A new lease gets what
 * the charges leave of the budget, at most `want`.
 */
export async function leaseRate(session: SqlSession, r: RateLeaseRequest): Promise<RateLeaseGrant> {
  await session.lock(`rate:${r.key}`);
  if (r.giveBack !== null) await returnRateLease(session, r.giveBack.leaseId, r.giveBack.used, r.now);
  const before = r.now - r.windowMs;
  await session.run('DELETE FROM rate_leases WHERE limit_key = ? AND ((returned_at IS NOT NULL AND returned_at <= ?) OR (returned_at IS NULL AND ends_at <= ?))', [
    r.key,
    before,
    before,
  ]);
  const rows = await session.all('SELECT granted, used, ends_at, returned_at FROM rate_leases WHERE limit_key = ?', [r.key]);
  let charged = 0;
  let freeAt = Infinity;
  for (const row of rows) {
    if (row.returned_at !== null) {
      charged += Number(row.used);
      freeAt = Math.min(freeAt, Number(row.returned_at) + r.windowMs);
    } else if (Number(row.ends_at) > r.now) {
      charged += Number(row.granted);
      freeAt = Math.min(freeAt, Number(row.ends_at));
    }
  }
  const granted = Math.max(0, Math.min(r.want, r.budget - charged));
  if (granted === 0) return { leaseId: null, granted: 0, endsAt: 0, freeAt: Number.isFinite(freeAt) ? freeAt : r.now + r.windowMs };
  const endsAt = r.now + r.ttlMs;
  await session.run('INSERT INTO rate_leases (id, limit_key, instance, granted, used, granted_at, ends_at, returned_at) VALUES (?, ?, ?, ?, NULL, ?, ?, NULL)', [
    r.leaseId,
    r.key,
    r.instance,
    granted,
    r.now,
    endsAt,
  ]);
  return { leaseId: r.leaseId, granted, endsAt, freeAt: null };
}
