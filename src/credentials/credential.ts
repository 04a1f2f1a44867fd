// The operator's own credential (README, Using the CLI): --token-stdin > TOKENS_TOKEN > OS keychain > a 0600 file
// that exists only after `login --insecure-storage`. Says which source won.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecret } from '../shared/secret.js';
import { CliError, EXIT, UsageError } from '../cli/errors.js';
import type { IO } from '../terminal/io.js';
import { writePrivateFile } from './private-file.js';
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type Keychain } from './keychain.js';

type CredentialSource = 'token-stdin' | 'env' | 'keychain' | 'file';

export interface Credential {
  secret: string;
  source: CredentialSource;
  /** Where it came from, for people: "TOKENS_TOKEN", "the OS keychain (service tokens, account prod)". */
  origin: string;
}

export const SOURCE_LABELS: Record<CredentialSource, string> = {
  'token-stdin': '--token-stdin',
  env: 'TOKENS_TOKEN',
  keychain: 'keychain',
  file: 'file',
};

const NO_KEYCHAIN_REMEDIES =
  'set TOKENS_TOKEN (or pipe the secret with --token-stdin) for this shell, or run "tokens login --insecure-storage" to keep it in a 0600 file';
/** The same, to someone already logging in (with --token-stdin or not). */
const NO_KEYCHAIN_LOGIN_REMEDIES = 'add --insecure-storage to keep it in a 0600 file instead, or skip the login and set TOKENS_TOKEN for this shell';

/** A secret as typed or pasted: trimmed, one line, and shaped like a token (checksum included). */
export function checkSecretShape(raw: string, from: string): string {
  const secret = raw.trim();
  if (!secret) throw new UsageError(`${from} is empty`);
  if (/\s/.test(secret) || !parseSecret(secret)) {
    // Never echo the value: it may be a real secret with a typo.
    throw new CliError(`${from} is not a well-formed token secret (wrong length, characters or checksum)`, EXIT.auth, 'copy the whole secret, e.g. tkn_… with nothing cut off');
  }
  return secret;
}

interface CredentialFile {
  version: 1;
  profiles: Record<string, string>;
}

/** The opt-in plaintext store: one 0600 JSON file beside the config, written atomically. */
export class CredentialFileStore {
  readonly path: string;
  constructor(private readonly dir: string) {
    this.path = join(dir, 'credentials.json');
  }

  private read(): CredentialFile {
    if (!existsSync(this.path)) return { version: 1, profiles: {} };
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as CredentialFile;
      return { version: 1, profiles: parsed.profiles ?? {} };
    } catch {
      throw new CliError(`cannot read ${this.path}`, EXIT.error, 'delete it and run "tokens login --insecure-storage" again');
    }
  }

  private write(file: CredentialFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writePrivateFile(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }

  get(profile: string): string | null {
    return this.read().profiles[profile] ?? null;
  }

  /** Group- or world-readable: someone loosened it after we wrote it. */
  tooOpen(): boolean {
    return existsSync(this.path) && (statSync(this.path).mode & 0o077) !== 0;
  }

  set(profile: string, secret: string): void {
    const file = this.read();
    file.profiles[profile] = secret;
    this.write(file);
  }

  delete(profile: string): boolean {
    const file = this.read();
    if (!(profile in file.profiles)) return false;
    delete file.profiles[profile];
    this.write(file);
    return true;
  }
}

interface CredentialOptions {
  io: IO;
  tokenStdin: boolean;
  keychain: () => Promise<Keychain>;
  file: CredentialFileStore;
}

export class Credentials {
  private stdinSecret?: Promise<string>;

  constructor(private readonly opts: CredentialOptions) {}

  get file(): CredentialFileStore {
    return this.opts.file;
  }

  /** The secret piped with --token-stdin (first line), read once. */
  fromStdin(): Promise<string> {
    this.stdinSecret ??= this.opts.io.readStdin().then((text) => checkSecretShape(text.split(/\r?\n/)[0] ?? '', 'the secret on standard input'));
    return this.stdinSecret;
  }

  async resolve(profile: string): Promise<Credential> {
    const { io } = this.opts;
    if (this.opts.tokenStdin) return { secret: await this.fromStdin(), source: 'token-stdin', origin: '--token-stdin' };
    const fromEnv = io.env.TOKENS_TOKEN;
    if (fromEnv) return { secret: checkSecretShape(fromEnv, 'TOKENS_TOKEN'), source: 'env', origin: 'TOKENS_TOKEN' };

    let keychainProblem: KeychainUnavailableError | CliError | undefined;
    try {
      const stored = await (await this.opts.keychain()).get(profile);
      if (stored) return { secret: checkSecretShape(stored, `the keychain entry for profile "${profile}"`), source: 'keychain', origin: `the OS keychain (service ${KEYCHAIN_SERVICE}, account ${profile})` };
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      keychainProblem = err;
    }
    const fromFile = this.opts.file.get(profile);
    if (fromFile) {
      if (this.opts.file.tooOpen()) io.warn(`${this.opts.file.path} is readable by other users; run: chmod 600 ${this.opts.file.path}`);
      return { secret: checkSecretShape(fromFile, this.opts.file.path), source: 'file', origin: this.opts.file.path };
    }
    if (keychainProblem) {
      throw new CliError(`not logged in to profile "${profile}", and ${keychainProblem.message}`, EXIT.auth, NO_KEYCHAIN_REMEDIES);
    }
    throw new CliError(`not logged in to profile "${profile}"`, EXIT.auth, `run "tokens login${profile === 'default' ? '' : ` --profile ${profile}`}", or set TOKENS_TOKEN`);
  }

  /** Stores a verified secret: the keychain, or the 0600 file when the user opted in. */
  async save(profile: string, secret: string, insecureStorage: boolean): Promise<'keychain' | 'file'> {
    if (insecureStorage) {
      this.opts.file.set(profile, secret);
      // A keychain entry would win over the file and hide this login.
      await this.removeFromKeychain(profile).catch(() => undefined);
      return 'file';
    }
    try {
      await (await this.opts.keychain()).set(profile, secret);
    } catch (err) {
      if (err instanceof KeychainUnavailableError) throw new CliError(`cannot store the credential: ${err.message}`, EXIT.error, NO_KEYCHAIN_LOGIN_REMEDIES);
      throw err;
    }
    this.opts.file.delete(profile);
    return 'keychain';
  }

  private async removeFromKeychain(profile: string): Promise<boolean> {
    return (await this.opts.keychain()).delete(profile);
  }

  /** Removes the profile's stored credential from both stores; reports what was there. */
  async remove(profile: string): Promise<{ keychain: boolean; file: boolean; keychainError?: string }> {
    let keychain = false;
    let keychainError: string | undefined;
    try {
      keychain = await this.removeFromKeychain(profile);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      keychainError = err.message;
    }
    return { keychain, file: this.opts.file.delete(profile), ...(keychainError ? { keychainError } : {}) };
  }
}
