// Builds the bundle once so tests of the real binary run what users run.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.TOKENS_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
