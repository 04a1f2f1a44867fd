// Secrets as tests need them.

/** The secret with its last character changed: a typo its checksum catches (never the secret itself). */
export function withTypo(secret: string): string {
  return `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`;
}
