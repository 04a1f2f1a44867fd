// The import graph of the source tree, read from the files as text: every static, type-only and
// dynamic import of a relative path, resolved to the .ts (or the console's .tsx) file it names.
// Package imports are kept by name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(path) : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** File (relative to the repo, e.g. `src/server/app.ts`) → what it imports: repo-relative .ts paths, or package names. */
export function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(join(REPO, dir))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT_RE)].map((m) => {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (!spec.startsWith('.')) return spec;
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const tsx = `${ts}x`;
      return relative(REPO, !existsSync(ts) && existsSync(tsx) ? tsx : ts);
    });
    graph.set(relative(REPO, file), targets);
  }
  return graph;
}

/** Every import circle, each as the files around it (first file repeated at the end). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const at = path.indexOf(target);
      if (at >= 0) cycles.push([...path.slice(at), target]);
      else if (graph.has(target) && !done.has(target)) visit(target);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
}
