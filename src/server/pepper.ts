// The HMAC pepper lives outside the database: TOKENS_PEPPER, or a 0600 file beside an embedded DB.
// Several versions may be listed ("<version>:<base64>" per line); the last one signs new secrets.
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PepperKey {
  version: number;
  key: KeyObject;
}

export class Peppers {
  readonly current: PepperKey;
  constructor(readonly keys: PepperKey[]) {
    if (!keys.length) throw new Error('no pepper configured');
    this.current = keys[keys.length - 1]!;
  }

  digest(secret: string, version = this.current.version): Buffer {
    const pepper = this.keys.find((k) => k.version === version);
    if (!pepper) throw new Error(`unknown pepper version ${version}`);
    // A prepared KeyObject avoids importing the key on every call (it costs as much as a request).
    return createHmac('sha256', pepper.key).update(secret).digest();
  }

  /** Digests under every known version, current first: what a lookup must try. */
  digests(secret: string): { version: number; digest: Buffer }[] {
    const out = [{ version: this.current.version, digest: this.digest(secret) }];
    for (const k of this.keys) if (k !== this.current) out.push({ version: k.version, digest: this.digest(secret, k.version) });
    return out;
  }
}

export function parsePeppers(text: string, source: string): Peppers {
  const keys: PepperKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\d+):([A-Za-z0-9+/=_-]+)$/.exec(line);
    const bytes = match ? Buffer.from(match[2]!, 'base64') : Buffer.alloc(0);
    if (!match || bytes.length < 32) throw new Error(`${source}: each line must be "<version>:<base64 of at least 32 bytes>"`);
    keys.push({ version: Number(match[1]), key: createSecretKey(bytes) });
  }
  return new Peppers(keys);
}

/** Reads the pepper file, creating it (0600) with a fresh key when it does not exist yet. */
export function loadOrCreatePepperFile(path: string): Peppers {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return parsePeppers(readFileSync(path, 'utf8'), path);
}
