// A series as one line of block characters, for a terminal: ▁▂▃▄▅▆▇█ scaled to the largest value, a
// blank where there was nothing, neighbours summed when the series is wider than the space.
const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  const per = Math.max(1, Math.ceil(values.length / Math.max(1, width)));
  const cells: number[] = [];
  for (let i = 0; i < values.length; i += per) cells.push(values.slice(i, i + per).reduce((a, b) => a + b, 0));
  const max = Math.max(0, ...cells);
  return cells.map((v) => (v === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)])).join('');
}
