// HTTPS for `tokens server` (README, TLS): the certificate, its key and the client CA read and checked
// with one-line errors, and re-read without a restart — on SIGHUP and whenever the files change on disk
// (cert-manager and certbot replace them by rename or symlink swap) — into the running server.
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Logger } from 'pino';
import { oneLineName, unreadableBecause } from '../shared/pem-files.js';

export interface TlsFiles {
  cert: string;
  key: string;
  /** Client certificates issued by this CA are asked for (mutual TLS for gateways). */
  clientCa?: string;
}

/** A certificate, key or client CA that cannot be used: one line naming the flag and the file. */
export class TlsConfigError extends Error {}

/** The PEM texts, checked to belong together. Never logged: only `summary` is. */
interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  clientCa: Buffer | null;
  summary: CertificateSummary;
}

interface CertificateSummary {
  subject: string;
  not_after: string;
  sha256: string;
  /** Milliseconds since the epoch, for the expiry warning. */
  expiresAt: number;
}

const MIN_VERSION = 'TLSv1.2';
const EXPIRY_WARNING_MS = 14 * 24 * 3600_000;
/** Files are often replaced in several steps (the certificate, then the key): wait for quiet. */
const SETTLE_MS = 300;

function readPem(flag: string, file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TlsConfigError(`cannot read the ${what} ${file} (${flag}): ${unreadableBecause(err)}`);
  }
}

function certificateIn(flag: string, file: string, pem: Buffer, what: string): X509Certificate {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new TlsConfigError(`${file} (${flag}) holds no PEM ${what}`);
  try {
    return new X509Certificate(pem);
  } catch {
    throw new TlsConfigError(`${file} (${flag}) holds a ${what} that cannot be parsed`);
  }
}

function privateKeyIn(file: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE') throw new TlsConfigError(`the private key in ${file} (--tls-key) is encrypted: give it unencrypted (readable only by the server)`);
    throw new TlsConfigError(`${file} (--tls-key) holds no PEM private key`);
  }
}

/** Reads and checks the files; throws TlsConfigError with a one-line reason. */
function readTlsMaterial(files: TlsFiles): TlsMaterial {
  const cert = readPem('--tls-cert', files.cert, 'certificate');
  const key = readPem('--tls-key', files.key, 'private key');
  const clientCa = files.clientCa === undefined ? null : readPem('--tls-client-ca', files.clientCa, 'client CA');
  const leaf = certificateIn('--tls-cert', files.cert, cert, 'certificate');
  if (!leaf.checkPrivateKey(privateKeyIn(files.key, key))) {
    throw new TlsConfigError(`the private key in ${files.key} (--tls-key) does not match the certificate in ${files.cert} (--tls-cert)`);
  }
  if (clientCa !== null) certificateIn('--tls-client-ca', files.clientCa!, clientCa, 'CA certificate');
  try {
    createSecureContext(contextOptions({ cert, key, clientCa }));
  } catch (err) {
    // OpenSSL's own words (never the key): e.g. a chain it cannot load.
    throw new TlsConfigError(`cannot use ${files.cert} and ${files.key}: ${(err as Error).message.split('\n')[0]}`);
  }
  return {
    cert,
    key,
    clientCa,
    summary: {
      subject: oneLineName(leaf.subject),
      not_after: new Date(leaf.validTo).toISOString(),
      sha256: leaf.fingerprint256,
      expiresAt: Date.parse(leaf.validTo),
    },
  };
}

function contextOptions(m: Pick<TlsMaterial, 'cert' | 'key' | 'clientCa'>): SecureContextOptions {
  return { cert: m.cert, key: m.key, minVersion: MIN_VERSION, ...(m.clientCa ? { ca: m.clientCa } : {}) };
}

function fingerprint(m: TlsMaterial): string {
  return createHash('sha256').update(m.cert).update('\0').update(m.key).update('\0').update(m.clientCa ?? '').digest('hex');
}

/** What the server re-reads its certificate into (an https.Server). */
interface SecureServer {
  setSecureContext(options: SecureContextOptions): void;
}

/**
 * The certificate the server serves, re-read on demand (SIGHUP) and when the files or the directories
 * holding them change. A pair that does not work is refused with a log line and the current one kept;
 * connections already open keep the certificate they were made with.
 */
export class ServedCertificate {
  private material: TlsMaterial;
  private current: string;
  private server: SecureServer | null = null;
  private readonly watchers = new Map<string, FSWatcher>();
  private settle: NodeJS.Timeout | null = null;

  /** Throws TlsConfigError when the files cannot be used. */
  constructor(
    private readonly files: TlsFiles,
    private readonly log: Logger | false,
    private readonly clock: () => number = Date.now,
  ) {
    this.material = readTlsMaterial(files);
    this.current = fingerprint(this.material);
  }

  /** Options for https.createServer: TLS 1.2 at least; client certificates asked for, not required, with a client CA. */
  serverOptions(): HttpsServerOptions {
    return { ...contextOptions(this.material), ...(this.material.clientCa ? { requestCert: true, rejectUnauthorized: false } : {}) };
  }

  get summary(): Omit<CertificateSummary, 'expiresAt'> {
    const { expiresAt: _, ...rest } = this.material.summary;
    return rest;
  }

  /** Starts following the files for `server`. */
  follow(server: SecureServer): void {
    this.server = server;
    this.warnIfExpiring();
    this.watchDirectories();
  }

  /** Re-reads the files; true when the server now serves what they hold. */
  reload(trigger: 'SIGHUP' | 'file change'): boolean {
    let next: TlsMaterial;
    try {
      next = readTlsMaterial(this.files);
    } catch (err) {
      if (this.log) this.log.error({ trigger, reason: (err as Error).message }, 'TLS reload refused; still serving the previous certificate');
      return false;
    } finally {
      this.watchDirectories();
    }
    const id = fingerprint(next);
    if (id === this.current) {
      if (trigger === 'SIGHUP' && this.log) this.log.info({ trigger, ...this.summary }, 'TLS files unchanged');
      return true;
    }
    this.server?.setSecureContext(contextOptions(next));
    this.material = next;
    this.current = id;
    if (this.log) this.log.info({ trigger, ...this.summary }, 'TLS certificate reloaded');
    this.warnIfExpiring();
    return true;
  }

  stop(): void {
    if (this.settle) clearTimeout(this.settle);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.server = null;
  }

  private warnIfExpiring(): void {
    const left = this.material.summary.expiresAt - this.clock();
    if (left < EXPIRY_WARNING_MS && this.log) {
      this.log.warn({ ...this.summary }, left <= 0 ? 'the TLS certificate has expired' : 'the TLS certificate expires within 14 days');
    }
  }

  /**
   * Watches the directories holding the files and, for symlinks, their targets: a rename or symlink
   * swap replaces a file without touching the old one, which only its directory sees. Any change there
   * re-reads the files after a short quiet period; unchanged content is not a reload.
   */
  private watchDirectories(): void {
    if (this.server === null) return;
    const wanted = new Set<string>();
    for (const file of [this.files.cert, this.files.key, this.files.clientCa]) {
      if (file === undefined) continue;
      wanted.add(dirname(file));
      try {
        wanted.add(dirname(realpathSync(file)));
      } catch {
        // Missing right now (mid-swap): its directory is watched, which is enough to see it come back.
      }
    }
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, () => this.changed());
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch (err) {
        if (this.log) this.log.warn({ dir, reason: (err as Error).message }, 'cannot watch the TLS files here; send SIGHUP after replacing them');
      }
    }
  }

  private changed(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      if (this.server !== null) this.reload('file change');
    }, SETTLE_MS);
    this.settle.unref();
  }
}
