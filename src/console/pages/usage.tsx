// A token's usage over the last 30 days, by day (GET /v1/tokens/{id}/usage, README "Usage history"):
// admitted and refused calls as bars, the refusals by reason, the busiest client addresses. A server
// without usage history (or a session that may not read it) answers an error: then nothing is shown.
import { useEffect, useState } from 'preact/hooks';
import type { TokenUsage } from '../../shared/schemas.js';
import { api } from '../api.js';
import { exactTime } from '../format.js';

const WIDTH = 600;
const HEIGHT = 120;
const DAYS = 30;

export function UsageChart({ tokenId }: { tokenId: string }) {
  const [usage, setUsage] = useState<TokenUsage | null>(null);
  useEffect(() => {
    const since = new Date(Date.now() - DAYS * 86_400_000).toISOString();
    api.get<TokenUsage>(`/v1/tokens/${tokenId}/usage`, { granularity: 'day', since }).then(
      (doc) => setUsage(Array.isArray(doc?.buckets) ? doc : null),
      () => setUsage(null),
    );
  }, [tokenId]);
  if (!usage) return null;
  const { buckets, totals } = usage;
  const max = Math.max(1, ...buckets.map((b) => b.uses + b.refused));
  const step = WIDTH / Math.max(1, buckets.length);
  const reasons = Object.entries(totals.refusals).filter(([, n]) => n > 0);
  if (totals.uses + totals.refused === 0) {
    return (
      <section aria-labelledby="usage-title" class="usage">
        <h2 id="usage-title">Usage, last {DAYS} days</h2>
        <p class="muted">No calls in the last {DAYS} days.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="usage-title" class="usage">
      <h2 id="usage-title">Usage, last {DAYS} days</h2>
      <p>
        {totals.uses.toLocaleString()} admitted, {totals.refused.toLocaleString()} refused
        {reasons.length ? ` (${reasons.map(([reason, n]) => `${reason.replace('_', ' ')} ${n.toLocaleString()}`).join(', ')})` : ''}.
      </p>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Calls per day: ${totals.uses} admitted and ${totals.refused} refused in ${DAYS} days`} class="chart">
        {buckets.map((b, i) => {
          const ok = (b.uses / max) * HEIGHT;
          const bad = (b.refused / max) * HEIGHT;
          return (
            <g key={b.start}>
              <title>{`${exactTime(b.start)}: ${b.uses} admitted, ${b.refused} refused`}</title>
              <rect class="bar-ok" x={i * step + 1} width={Math.max(1, step - 2)} y={HEIGHT - ok} height={ok} />
              <rect class="bar-refused" x={i * step + 1} width={Math.max(1, step - 2)} y={HEIGHT - ok - bad} height={bad} />
            </g>
          );
        })}
      </svg>
      {usage.addresses.length > 0 && (
        <p class="hint">
          From: {usage.addresses.slice(0, 5).map((a) => `${a.address} (${a.uses.toLocaleString()}${a.refused ? `, ${a.refused.toLocaleString()} refused` : ''})`).join(', ')}
        </p>
      )}
    </section>
  );
}
