// Files that hold secrets or their neighbours: written with mode 0600 through a temp file beside the
// target, flushed, then renamed over it — a reader sees the old file or the new one, never half of one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT } from '../cli/errors.js';
import { randomBytes } from '../shared/random.js';

export function writePrivateFile(path: string, text: string): void {
  const dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new CliError(`cannot write ${path}: the directory ${dir} does not exist`, EXIT.error);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx' with the mode: the file is private from its first byte, and never someone else's file.
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot write ${path}${code ? ` (${code})` : ''}`, EXIT.error);
  }
}
