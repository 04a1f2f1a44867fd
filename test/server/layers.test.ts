// The server keeps its layers apart (README, Development): routes → services → store, with no
// import circles, so each layer can change without the ones below it noticing.
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../helpers/imports.js';

const graph = importGraph('src/server');

/** `file → target` for every import from files under `from` to a target matching `to`. */
function importsBetween(from: string, to: (target: string) => boolean): string[] {
  return [...graph].flatMap(([file, targets]) => (file.startsWith(from) ? targets.filter(to).map((t) => `${file} → ${t}`) : []));
}

describe('src/server layers', () => {
  it('has no import circles', () => {
    expect(importCycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('routes never import app.ts (they get the context)', () => {
    expect(importsBetween('src/server/routes/', (t) => t === 'src/server/app.ts')).toEqual([]);
  });

  it('services import neither routes, fastify nor the HTTP edge: they throw DomainError', () => {
    const http = (t: string) =>
      t.startsWith('src/server/routes/') || t === 'fastify' || t.startsWith('@fastify/') || ['src/server/app.ts', 'src/server/problems.ts', 'src/server/context.ts'].includes(t);
    expect(importsBetween('src/server/service/', http)).toEqual([]);
  });

  it('the store never imports services', () => {
    expect(importsBetween('src/server/store/', (t) => t.startsWith('src/server/service/'))).toEqual([]);
  });

  it('reads the imports it judges', () => {
    // Guards the rules above against a reader that finds nothing.
    expect(graph.get('src/server/app.ts')).toEqual(expect.arrayContaining(['fastify', 'src/server/context.ts', 'src/server/routes/tokens.ts']));
    expect(graph.get('src/server/routes/types.ts')).toContain('src/server/service/caller.ts');
  });
});
