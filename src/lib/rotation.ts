// Rotation of one token (SPEC §9): the per-token operation the single and bulk commands share.
// Delivery (--deliver/--deliver-file), the introspect check and rollback plug in after rotateToken.
import type { Token, TokensApi } from './api.js';
import { newIdempotencyKey } from './api.js';
import { humanDuration } from './duration.js';

export interface RotationOutcome {
  predecessor: Token;
  successor: Token;
  /** The successor's secret, shown once. */
  secret: string;
}

export interface RotationOptions {
  overlapSeconds: number;
  /** Reused on a re-run to get the same successor back instead of rotating twice. */
  idempotencyKey?: string;
}

export async function rotateToken(api: TokensApi, token: Token, opts: RotationOptions): Promise<RotationOutcome> {
  const response = await api.rotateToken(token.id, opts.overlapSeconds, opts.idempotencyKey ?? newIdempotencyKey());
  return { predecessor: response.predecessor, successor: response.token, secret: response.secret };
}

/** "stops working immediately" / "keeps working for 1 day (until …)". */
export function overlapDescription(overlapSeconds: number, now: number): string {
  if (overlapSeconds === 0) return 'stops working immediately';
  return `keeps working for ${humanDuration(overlapSeconds)} (until ${new Date(now + overlapSeconds * 1000).toISOString()})`;
}
