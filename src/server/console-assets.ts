// The console's static files (README, Console), built into dist/console by scripts/build.mjs with a
// gzip and a brotli copy of each: read into memory once, on the first request for them, and served
// in the best encoding the browser accepts. The CLI never loads this.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface ConsoleFile {
  type: string;
  /** Fingerprinted: its name changes with its content, so browsers may keep it for a year. */
  immutable: boolean;
  etag: string;
  bodies: Partial<Record<Encoding, Buffer>> & { identity: Buffer };
}

interface Manifest {
  files: Record<string, { type: string; immutable: boolean; encodings: Encoding[] }>;
}

/** dist/console beside the bundled server (dist/*.js), or from the source tree (src/server/). */
const CANDIDATES = [new URL('./console/', import.meta.url), new URL('../../dist/console/', import.meta.url)];

export function consoleDir(): URL | null {
  return CANDIDATES.find((dir) => existsSync(new URL('manifest.json', dir))) ?? null;
}

/** Every file of the built console by its URL path, or null when the console is not built. */
export async function loadConsoleFiles(dir: URL | null = consoleDir()): Promise<Map<string, ConsoleFile> | null> {
  if (!dir) return null;
  const manifest = JSON.parse(await readFile(new URL('manifest.json', dir), 'utf8')) as Manifest;
  const files = new Map<string, ConsoleFile>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    const local = new URL(`.${path}`, dir);
    const identity = await readFile(local);
    const bodies: ConsoleFile['bodies'] = { identity };
    for (const encoding of entry.encodings) {
      if (encoding !== 'identity') bodies[encoding] = await readFile(new URL(`${local.href}.${encoding === 'gzip' ? 'gz' : 'br'}`));
    }
    files.set(path, { type: entry.type, immutable: entry.immutable, etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`, bodies });
  }
  return files;
}

/** The encoding to send: brotli, then gzip, when `Accept-Encoding` allows them (q > 0) and a copy exists. */
export function pickEncoding(acceptEncoding: string | undefined, available: ConsoleFile['bodies']): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (name) accepted.set(name, q ? Number(q[1]) : 1);
  }
  for (const encoding of ['br', 'gzip'] as const) {
    if (available[encoding] && (accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0) return encoding;
  }
  return 'identity';
}
