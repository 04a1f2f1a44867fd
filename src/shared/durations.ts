// Durations as people type them (90d, 12h, 1d12h): the units, and seconds written back in that form.
// The CLI parses them (src/input/duration.ts); the server and the CLI both write them in messages.

export const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds as the user would type them: 7776000 → "90d", 90 → "90s" (the largest unit that divides them). */
export function compactDuration(seconds: number): string {
  const [unit, size] = Object.entries(UNIT_SECONDS).reverse().find(([, size]) => seconds % size === 0) ?? ['s', 1];
  return `${seconds / size}${unit}`;
}

/** Seconds roughly, in the largest unit that fits, with one decimal at most: 17280003 → "200d", 5400 → "1.5h". */
export function approxDuration(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size) return `${Math.round((seconds / size) * 10) / 10}${unit}`;
  }
  return `${Math.round(seconds)}s`;
}
