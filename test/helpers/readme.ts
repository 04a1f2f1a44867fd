// The README's code blocks, for tests that run what it prints (gateway configurations, scanner rules).
import { readFileSync } from 'node:fs';

/** The fenced code blocks under `heading` (e.g. `### Caddy`), in order, up to the next heading. */
export function readmeCodeBlocks(heading: string): { lang: string; text: string }[] {
  const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
  const blocks: { lang: string; text: string }[] = [];
  let fence: { lang: string; lines: string[] } | null = null;
  for (const line of lines.slice(start + 1)) {
    if (fence) {
      if (line.startsWith('```')) {
        blocks.push({ lang: fence.lang, text: `${fence.lines.join('\n')}\n` });
        fence = null;
      } else fence.lines.push(line);
    } else if (line.startsWith('```')) fence = { lang: line.slice(3).trim(), lines: [] };
    else if (/^#{1,6} /.test(line)) break;
  }
  return blocks;
}
