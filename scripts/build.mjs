// Bundles src/cli.ts into dist/ (ESM, code-split so each command and heavy library loads on demand),
// plus the keychain helper as its own entry, then writes the shell completions into completions/.
// It builds into a fresh folder and swaps it in, so a build never leaves dist/ half-empty for a
// process (or a parallel test run in the same tree) that is using it.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const SERVER_AND_NATIVE = ['fastify', '@fastify/*', 'pino', 'pg', '@napi-rs/keyring', '@seriousme/*', '@sinclair/typebox'];
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// Scratch folders live under node_modules/.cache (ignored by git, same filesystem for the rename).
const next = `node_modules/.cache/tokens-build/next-${process.pid}`;
const old = `node_modules/.cache/tokens-build/old-${process.pid}`;
rmSync(new URL(next, root), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts', 'keychain-helper': 'src/credentials/keychain-helper.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  // The CLI's own libraries are bundled: one compile-cached file loads far faster than a package's
  // tree of modules. Server-side packages, and the native keychain binding, stay external.
  external: SERVER_AND_NATIVE,
  banner: { js: "import { createRequire as __tokensRequire } from 'node:module'; const require = __tokensRequire(import.meta.url);" },
  sourcemap: false,
  legalComments: 'none',
  define: { __TOKENS_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

// Completions come from the command tree of the bundle just built, so they match what ships.
const { completionScripts } = await import(new URL(`${next}/cli.js`, root).href);
const scripts = await completionScripts();
const out = new URL('completions/', root);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('tokens.bash', out), scripts.bash);
writeFileSync(new URL('_tokens', out), scripts.zsh);
writeFileSync(new URL('tokens.fish', out), scripts.fish);

if (existsSync(new URL('dist', root))) renameSync(new URL('dist', root), new URL(old, root));
renameSync(new URL(next, root), new URL('dist', root));
rmSync(new URL(old, root), { recursive: true, force: true });
