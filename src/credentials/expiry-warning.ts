// The warning about the operator's own credential running out (README, Using the CLI: within 14 days, on stderr).
const EXPIRY_WARNING_DAYS = 14;

/** A warning when a credential expires within 14 days (or has expired); null otherwise. */
export function expiryWarning(expiresAt: string | null | undefined, now: number, what: string): string | null {
  if (!expiresAt) return null;
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return `${what} expired at ${expiresAt}; run "tokens login" with a new one`;
  if (left > EXPIRY_WARNING_DAYS * 86_400_000) return null;
  const days = Math.max(1, Math.round(left / 86_400_000));
  return `${what} expires in ${days} day${days === 1 ? '' : 's'} (${expiresAt}); rotate it and run "tokens login" again`;
}
