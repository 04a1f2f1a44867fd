// Bundles src/cli.ts into dist/ (ESM, code-split so each command and heavy library loads on demand),
// plus the keychain helper as its own entry, then writes the shell completions into completions/.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', 'keychain-helper': 'src/lib/keychain-helper.ts' },
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

// Completions come from the command tree of the bundle just built, so they match what ships.
const { completionScripts } = await import(new URL(`../dist/cli.js?t=${Date.now()}`, import.meta.url).href);
const scripts = await completionScripts();
const out = new URL('../completions/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('tokens.bash', out), scripts.bash);
writeFileSync(new URL('_tokens', out), scripts.zsh);
writeFileSync(new URL('tokens.fish', out), scripts.fish);
