// A throwaway certificate authority made with Debian's openssl at test time, so no key material is
// committed: server certificates for 127.0.0.1/localhost, client certificates for gateways.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';

export interface CertificateFiles {
  cert: string;
  key: string;
}

interface IssueOptions {
  /** Subject alternative names; default localhost and 127.0.0.1. */
  dns?: string[];
  ips?: string[];
  /** Validity in days from now; -1 makes a certificate that expired yesterday. */
  days?: number;
  /** A client certificate (extendedKeyUsage clientAuth) instead of a server one. */
  client?: boolean;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export class TestCa {
  private serial = 0;

  private constructor(
    readonly dir: string,
    readonly cert: string,
    private readonly key: string,
  ) {}

  /** A new CA (its own key and self-signed certificate) in `dir`. */
  static create(dir: string, name = 'tokens test CA'): TestCa {
    mkdirSync(dir, { recursive: true });
    const slug = name.replace(/\W+/g, '-');
    const cert = join(dir, `${slug}.crt`);
    const key = join(dir, `${slug}.key`);
    openssl(['req', '-x509', ...newKey, '-keyout', key, '-out', cert, '-subj', `/O=tokens tests/CN=${name}`, '-days', '2',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    return new TestCa(dir, cert, key);
  }

  /** A certificate for `name` signed by this CA, as files named after it. */
  issue(name: string, opts: IssueOptions = {}): CertificateFiles {
    const slug = `${name.replace(/\W+/g, '-')}-${++this.serial}`;
    const cert = join(this.dir, `${slug}.crt`);
    const key = join(this.dir, `${slug}.key`);
    const csr = join(this.dir, `${slug}.csr`);
    const ext = join(this.dir, `${slug}.ext`);
    const names = [...(opts.dns ?? ['localhost']).map((d) => `DNS:${d}`), ...(opts.ips ?? ['127.0.0.1']).map((ip) => `IP:${ip}`)];
    writeFileSync(
      ext,
      [
        'basicConstraints=CA:FALSE',
        `extendedKeyUsage=${opts.client ? 'clientAuth' : 'serverAuth'}`,
        ...(opts.client ? [] : [`subjectAltName=${names.join(',')}`]),
      ].join('\n'),
    );
    openssl(['req', ...newKey, '-keyout', key, '-out', csr, '-subj', `/O=tokens tests/CN=${name}`], this.dir);
    openssl(['x509', '-req', '-in', csr, '-CA', this.cert, '-CAkey', this.key, '-set_serial', String(Date.now() * 1000 + this.serial),
      '-days', String(opts.days ?? 2), '-extfile', ext, '-out', cert], this.dir);
    return { cert, key };
  }

  get pem(): string {
    return readFileSync(this.cert, 'utf8');
  }
}

/** The SHA-256 fingerprint of a certificate file, as X509Certificate and TLS sockets give it. */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}
