// Reading certificate files, for the server's TLS files and the CLI's CA file alike: why a file could
// not be read, and a certificate's name as one line.

/** Why a file could not be read, in words for a one-line error. */
export function unreadableBecause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? 'unreadable';
}

/** A distinguished name as one line ("O=Example, CN=gw"); X509Certificate gives one RDN per line. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
