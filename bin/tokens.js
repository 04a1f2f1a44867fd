#!/usr/bin/env node
// Runs the bundled CLI. Under a Node older than the project targets (e.g. a system Node 20), it
// re-runs itself with the Node the project installs (the `node` package in node_modules).
// process.getBuiltinModule, not an ESM import: importing node:module builds its whole namespace.
const module = process.getBuiltinModule('node:module');

const [major, minor] = process.versions.node.split('.').map(Number);
const args = process.argv.slice(2);
if (major < 22 || (major === 22 && minor < 12)) {
  const [{ spawn }, { existsSync }, { fileURLToPath }] = await Promise.all([import('node:child_process'), import('node:fs'), import('node:url')]);
  const localNode = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(localNode)) {
    process.stderr.write(`error: tokens needs Node.js >= 22.12 (this is ${process.version}); run "npm install" in the project, or install a newer Node\n`);
    process.exit(1);
  }
  const child = spawn(localNode, [fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Only the version is asked for: answer before loading the CLI at all (the bundle defines the same string).
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  // The bundle's chunks import each other by relative path: resolve those directly instead of
  // through Node's resolver (a stat, a realpath and a package.json lookup per import).
  const dist = new URL('../dist/', import.meta.url).href;
  module.registerHooks?.({
    resolve(specifier, context, next) {
      if (specifier.startsWith('./') && context.parentURL?.startsWith(dist)) return { url: new URL(specifier, context.parentURL).href, format: 'module', shortCircuit: true };
      return next(specifier, context);
    },
  });
  const { run } = await import('../dist/cli.js');
  await run();
}
