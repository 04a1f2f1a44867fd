// Times in words for people: "3 days", "in 2 hours", "just now" — for the terminal and the console alike.

const SPANS: [number, string][] = [
  [365 * 86_400, 'year'],
  [30 * 86_400, 'month'],
  [7 * 86_400, 'week'],
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** "3 days", "1 hour": the largest unit, rounded (89.9 days is "3 months", not "2 months"). */
export function humanDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  for (const [size, unit] of SPANS) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

/** "in 3 days", "2 hours ago", "just now". */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  return seconds > 0 ? `in ${humanDuration(seconds)}` : `${humanDuration(seconds)} ago`;
}
