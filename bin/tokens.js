#!/usr/bin/env node
// Runs the bundled CLI. Under a Node older than the project targets (e.g. a system Node 20), it
// re-runs itself with the Node the project installs (the `node` package in node_modules).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const localNode = join(here, '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(localNode)) {
    process.stderr.write(`error: tokens needs Node.js >= 22.12 (this is ${process.version}); run "npm install" in the project, or install a newer Node\n`);
    process.exit(1);
  }
  const child = spawn(localNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
} else {
  module.enableCompileCache?.();
  const { run } = await import('../dist/cli.js');
  await run();
}
