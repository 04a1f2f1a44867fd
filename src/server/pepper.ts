// The HMAC pepper lives outside the database: TOKENS_PEPPER, or a 0600 file beside an embedded DB.
// Several versions may be listed ("<version>:<base64>" per line); the last one signs new secrets.
import { createHmac, createSecretKey, hash, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface PepperKey {
  version: number;
  key: KeyObject;
}

const BLOCK = 64;
const MAX_FAST_MESSAGE_BYTES = 1024;

/**
 * HMAC-SHA-256 (RFC 2104) with the key's inner and outer pads prepared once, computed as two
 * one-shot `crypto.hash` calls with latin1 (byte-per-char) outputs. The verify path runs it on
 * every request; `createHmac(...).digest()` costs about three times as much there, most of it in
 * allocating the hash object and the output Buffer.
 */
class PreparedHmac {
  private readonly inner: Buffer;
  private readonly outer: Buffer;

  constructor(private readonly key: KeyObject) {
    let raw = key.export();
    if (raw.length > BLOCK) raw = hash('sha256', raw, 'buffer');
    this.inner = Buffer.alloc(BLOCK + MAX_FAST_MESSAGE_BYTES, 0x36);
    this.outer = Buffer.alloc(BLOCK + 32, 0x5c);
    for (let i = 0; i < raw.length; i++) {
      this.inner[i]! ^= raw[i]!;
      this.outer[i]! ^= raw[i]!;
    }
    raw.fill(0);
  }

  /** The digest as a 32-character latin1 string (one char per byte). */
  sign(message: string): string {
    // Secrets are ASCII; anything that might not fit the prepared buffer takes the general path.
    if (message.length * 3 > MAX_FAST_MESSAGE_BYTES) return createHmac('sha256', this.key).update(message).digest('latin1');
    const length = this.inner.write(message, BLOCK, 'utf8');
    this.outer.write(hash('sha256', this.inner.subarray(0, BLOCK + length), 'latin1'), BLOCK, 'latin1');
    return hash('sha256', this.outer, 'latin1');
  }
}

export class Peppers {
  readonly current: PepperKey;
  private readonly signers = new Map<number, PreparedHmac>();

  constructor(readonly keys: PepperKey[]) {
    if (!keys.length) throw new Error('no pepper configured');
    this.current = keys[keys.length - 1]!;
    for (const k of keys) this.signers.set(k.version, new PreparedHmac(k.key));
  }

  /** HMAC-SHA-256(pepper, secret) as a latin1 string: the verify cache key (current version by default). */
  digestString(secret: string, version = this.current.version): string {
    const signer = this.signers.get(version);
    if (!signer) throw new Error(`unknown pepper version ${version}`);
    return signer.sign(secret);
  }

  digest(secret: string, version = this.current.version): Buffer {
    return Buffer.from(this.digestString(secret, version), 'latin1');
  }

  /**
   * A 32-byte key for `purpose` derived from the pepper of `version` (HKDF-SHA-256): what the server
   * seals the secrets it must keep usable (webhook signing secrets) with.
   */
  derivedKey(purpose: string, version = this.current.version): Buffer {
    const key = this.keys.find((k) => k.version === version);
    if (!key) throw new Error(`unknown pepper version ${version}`);
    return Buffer.from(hkdfSync('sha256', key.key.export(), Buffer.alloc(0), purpose, 32));
  }

  /**
   * A check value for one version (16 hex digits of an HMAC of a fixed label): tells whether two
   * servers hold the same pepper under a version number, revealing nothing of it.
   */
  check(version: number): string | null {
    return this.signers.has(version) ? Buffer.from(this.digestString('tokens pepper check', version), 'latin1').toString('hex').slice(0, 16) : null;
  }

  /** Digests under every known version, current first: what a lookup must try. */
  digests(secret: string, currentDigest = this.digest(secret)): { version: number; digest: Buffer }[] {
    const out = [{ version: this.current.version, digest: currentDigest }];
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
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return parsePeppers(readFileSync(path, 'utf8'), path);
}
