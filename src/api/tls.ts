// The server's TLS certificate as the CLI sees it (README, TLS): a private CA to trust (--ca-file,
// TOKENS_CA_FILE or the profile's), and a failed certificate check explained in one line — the host,
// what failed, the flag that fixes it.
import { readFileSync } from 'node:fs';
import { UnreachableError, UsageError, type CliError } from '../cli/errors.js';
import { oneLineName, unreadableBecause } from '../shared/pem-files.js';

/** A CA certificate file to trust for the API server, and where that setting came from (for messages). */
export interface TrustedCa {
  file: string;
  /** "--ca-file", "TOKENS_CA_FILE" or 'profile "prod"'. */
  source: string;
}

/** The PEM text of the CA file, checked to hold a certificate; a usage error naming the file and its source otherwise. */
export function readTrustedCa(ca: TrustedCa): { pem: Buffer; subject: string } {
  let pem: Buffer;
  try {
    pem = readFileSync(ca.file);
  } catch (err) {
    throw new UsageError(`cannot read the CA file ${ca.file} (from ${ca.source}): ${unreadableBecause(err)}`);
  }
  // Never echo the file: a private key handed over by mistake must not reach the terminal.
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${ca.file} (from ${ca.source}) holds no PEM certificate`, 'give the CA certificate (-----BEGIN CERTIFICATE-----), not a key');
  try {
    // node:crypto only when a CA is given (README, Performance: what a read command loads).
    const { X509Certificate } = process.getBuiltinModule('node:crypto');
    return { pem, subject: oneLineName(new X509Certificate(pem).subject) };
  } catch {
    throw new UsageError(`${ca.file} (from ${ca.source}) holds a certificate that cannot be parsed`);
  }
}

const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
const NOT_TRUSTED = new Set(['CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED', 'CERT_CHAIN_TOO_LONG']);

const CA_FLAGS = '--ca-file FILE, TOKENS_CA_FILE, or tokens profile add PROFILE --ca-file FILE';

/**
 * A TLS failure of a request to `origin` as the error the user sees, or null when `code` is not one.
 * Nothing was sent (not even the credential), as when the server is unreachable: exit 7, no retry.
 */
export function tlsFailure(err: unknown, code: string | undefined, origin: string, ca: TrustedCa | undefined): CliError | null {
  if (code === undefined) return null;
  const host = new URL(origin).host;
  const cannotTrust = (what: string, hint: string) => new UnreachableError(`cannot trust the TLS certificate of ${host}: ${what} (${code})`, hint);
  if (code === 'CERT_HAS_EXPIRED') {
    return cannotTrust('it has expired', "the server's certificate must be renewed (tokens server re-reads it when the file changes); check this machine's clock too");
  }
  if (code === 'CERT_NOT_YET_VALID') return cannotTrust('it is not valid yet', "check this machine's clock and the certificate's start date");
  if (UNKNOWN_ISSUER.has(code)) {
    return cannotTrust(
      ca ? `it is not issued by the CA in ${ca.file} (from ${ca.source})` : 'it is issued by a CA this machine does not trust (unknown issuer)',
      ca ? 'check that the CA file is the one that issued the server certificate' : `if the server uses a private CA, trust its certificate: ${CA_FLAGS}`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = peerCertificate(err)?.subjectaltname;
    return cannotTrust(
      `it is not issued for the name ${new URL(origin).hostname}${names ? ` (it names ${names})` : ''}`,
      'use a name the certificate is issued for in the API URL (tokens profile add PROFILE --api-url https://NAME:PORT, or TOKENS_API_URL)',
    );
  }
  if (NOT_TRUSTED.has(code)) return cannotTrust('it is not trusted for this use', `check the server's certificate chain; a private CA is trusted with ${CA_FLAGS}`);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return new UnreachableError(`the server at ${host} does not speak TLS (${code})`, 'if it serves plain http on loopback, use an http:// API URL; otherwise start it with --tls-cert and --tls-key');
  }
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return new UnreachableError(`the TLS handshake with ${host} failed (${code})`, 'the server needs TLS 1.2 or newer with a certificate this machine can check');
  }
  return null;
}

/** The server certificate node attaches to a name-mismatch error (on the error or one of its causes). */
function peerCertificate(err: unknown): { subjectaltname?: string } | undefined {
  let current = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const cert = (current as { cert?: { subjectaltname?: string } }).cert;
    if (cert) return cert;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
