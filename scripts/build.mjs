// Bundles src/cli.ts into dist/ (ESM, code-split so each command and heavy library loads on demand).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  define: { __TOKENS_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
