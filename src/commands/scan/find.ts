// Finding leaked secrets offline (README, Secret scanning): every `<prefix>_<38 base62>` whose
// checksum is right, wherever it stands in the text — a wrong secret passes the checksum 1 time in
// 62^6 — with the file, line and column, read from files, directory trees and standard input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { CHECKSUM_LENGTH, parseSecret, RANDOM_LENGTH } from '../../shared/secret.js';

export interface FoundSecret {
  path: string;
  /** 1-based, as editors count. */
  line: number;
  column: number;
  secret: string;
  /** The public display form: prefix and the first random characters. */
  start: string;
}

/** An underscore and the random part with its checksum; the prefix is read backwards from the underscore. */
const TAIL = new RegExp(`_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}`, 'g');
const PREFIX_CHAR = /[a-z0-9]/;
const MAX_PREFIX = 8;

/** The secrets in `text` (with `prefix` only, when given). */
export function findSecrets(text: string, path: string, prefix?: string): FoundSecret[] {
  const found: FoundSecret[] = [];
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  const regex = new RegExp(TAIL);
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const underscore = match.index;
    const end = underscore + match[0].length;
    let secret: string | null = null;
    for (let length = 1; length <= MAX_PREFIX && underscore - length >= 0 && PREFIX_CHAR.test(text[underscore - length]!); length++) {
      const candidate = text.slice(underscore - length, end);
      if ((prefix === undefined || length === prefix.length) && parseSecret(candidate, prefix)) {
        secret = candidate;
        break;
      }
    }
    if (secret === null) {
      // Another underscore may start inside this match (`a_b_…`): look again from the next character.
      regex.lastIndex = underscore + 1;
      continue;
    }
    const at = end - secret.length;
    for (; counted < at; counted++) {
      if (text.charCodeAt(counted) === 10) {
        line++;
        lineStart = counted + 1;
      }
    }
    found.push({ path, line, column: at - lineStart + 1, secret, start: parseSecret(secret)!.start });
  }
  return found;
}

/** Files above this are skipped (and said so): secrets live in source, config and logs, not in disk images. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Directories not walked into unless named: version control internals and installed dependencies. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules']);

export interface ScanInput {
  path: string;
  text: string;
}

/** The files under `paths` (files, or directories walked in name order), each read as text; binary and huge files are skipped. */
export function* readInputs(paths: string[], skipped: (path: string, why: string) => void): Generator<ScanInput> {
  for (const path of paths) yield* readPath(path, true, skipped);
}

function* readPath(path: string, named: boolean, skipped: (path: string, why: string) => void): Generator<ScanInput> {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    if (named) throw new UsageError(`cannot read ${path}: no such file or directory`);
    return;
  }
  if (stat.isDirectory()) {
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (err) {
      skipped(path, (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'unreadable');
      return;
    }
    for (const entry of entries) {
      if (SKIPPED_DIRECTORIES.has(entry)) continue;
      yield* readPath(join(path, entry), false, skipped);
    }
    return;
  }
  if (!stat.isFile()) return;
  if (stat.size > MAX_FILE_BYTES) return skipped(path, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return skipped(path, (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'unreadable');
  }
  if (bytes.subarray(0, 8192).includes(0)) return; // binary
  yield { path, text: bytes.toString('utf8') };
}
