// Rotating one token, two-phase on the server: rotate with pending=true (the old token stays whole) →
// deliver the new secret → check it against the server → complete (the overlap starts). If delivery
// or the check fails, abort: the successor is revoked and the old token is as it was. A re-run after
// a crash finds the open rotation through the lineage (plan.ts) and resumes it with the same
// Idempotency-Key, which replays the first response — the same successor and secret — so a token is
// never rotated twice.
import { createHmac } from 'node:crypto';
import type { Token, TokensApi } from '../../api/client.js';
import { ApiProblemError, CliError, EXIT } from '../../cli/errors.js';
import { describeToken } from '../../terminal/token-view.js';
import type { SuccessorChecker, SuccessorCheckMethod } from './check.js';
import { deliveryTarget, type Delivery } from './deliver.js';
import type { RotationPlan } from './plan.js';

export interface RotationOutcome {
  predecessor: Token;
  successor: Token;
  /** The successor's secret, shown (or delivered) once. */
  secret: string;
  /** How the successor was checked: "introspect" or "whoami". */
  checkedBy: SuccessorCheckMethod;
  /** An unfinished rotation was picked up rather than a new one started. */
  resumed: boolean;
  /** The successor of an unfinished rotation that could not be resumed, aborted before rotating afresh. */
  abortedStale?: string;
}

export interface RotationSettings {
  overlapSeconds: number;
  delivery: Delivery;
  checker: SuccessorChecker;
  /** The Idempotency-Key for rotating `token` from `startVersion`: the same inputs give the same key. */
  keyFor(token: Token, startVersion: number): string;
  /** The id of the token the CLI acts as (asked only when an unfinished rotation needs it). */
  ownId(): Promise<string>;
}

/**
 * The Idempotency-Key of a rotation, derived so that a re-run with the same credential sends the same
 * key: an HMAC under the operator's own secret of the predecessor id and its version when the
 * rotation started. The key unlocks the replayed secret on the server, so it must not be guessable
 * from public facts; the operator's secret is never sent in it.
 */
export function rotationKey(credentialSecret: string, predecessorId: string, startVersion: number): string {
  const mac = createHmac('sha256', credentialSecret).update(`tokens rotate v1\0${predecessorId}\0${startVersion}`).digest('base64url');
  return `tokens-rotate-${mac}`;
}

/** The open rotation cannot be replayed (other inputs, or the replay expired): the server's answer. */
function replayRefused(err: unknown): boolean {
  return err instanceof ApiProblemError && (err.code === 'idempotency_key_reused' || err.code === 'already_rotated');
}

/** POST rotate with pending=true, resuming (or, when it cannot be resumed, replacing) an open rotation. */
async function startRotation(api: TokensApi, plan: RotationPlan, settings: RotationSettings) {
  const { token } = plan;
  // While a rotation is pending, the predecessor is exactly one version past where it started.
  const startVersion = plan.resumeOf ? token.version - 1 : token.version;
  try {
    const response = await api.rotateToken(token.id, settings.overlapSeconds, settings.keyFor(token, startVersion), true);
    return { response, abortedStale: undefined };
  } catch (err) {
    if (!plan.resumeOf || !replayRefused(err)) throw err;
    // The open rotation's secret cannot be had again. If this caller started it, nobody else is
    // waiting for it: abort it (the old token is whole again) and rotate afresh.
    const stale = await api.getToken(plan.resumeOf);
    const own = await settings.ownId();
    if (stale.created_by !== own) {
      throw new CliError(
        `${describeToken(token)} has an unfinished rotation to ${stale.id}, started by ${stale.created_by ?? 'someone else'}, that cannot be resumed from here`,
        EXIT.conflict,
        'let whoever started it finish it, or re-run with their credential and the same --overlap',
      );
    }
    await api.finishRotation(token.id, 'abort', 'unfinished rotation could not be resumed; rotating afresh');
    const restored = await api.getToken(token.id);
    const response = await api.rotateToken(restored.id, settings.overlapSeconds, settings.keyFor(restored, restored.version), true);
    return { response, abortedStale: stale.id };
  }
}

/**
 * Rotates one token all the way: successor created (or resumed), secret delivered, successor
 * checked, rotation completed. On a delivery or check failure the rotation is aborted and the error
 * says so; nothing is reported done that is not.
 */
export async function rotateAndDeliver(api: TokensApi, plan: RotationPlan, settings: RotationSettings): Promise<RotationOutcome> {
  const { response, abortedStale } = await startRotation(api, plan, settings);
  const successor = response.token;
  const predecessor = response.predecessor;
  let checkedBy: SuccessorCheckMethod;
  try {
    await settings.delivery.deliver(response.secret, deliveryTarget(successor, predecessor));
    checkedBy = await settings.checker.check(response.secret, successor);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    try {
      await api.finishRotation(predecessor.id, 'abort', 'rotation aborted: the new secret could not be delivered or did not pass the check');
    } catch (abortErr) {
      throw new CliError(
        `${why}; and aborting the rotation failed too (${abortErr instanceof Error ? abortErr.message : String(abortErr)}): the successor ${successor.id} may still be live`,
        EXIT.error,
        're-run the same command: it resumes the unfinished rotation',
      );
    }
    throw new CliError(`${why}; rotation aborted: the successor ${successor.id} was revoked and the old token keeps working as before`, err instanceof CliError ? err.exitCode : EXIT.error);
  }
  let completed;
  try {
    completed = await api.finishRotation(predecessor.id, 'complete');
  } catch (err) {
    throw new CliError(
      `the new secret was delivered and works, but completing the rotation failed (${err instanceof Error ? err.message : String(err)}); the old token keeps working`,
      err instanceof CliError ? err.exitCode : EXIT.error,
      're-run the same command: it resumes and completes the rotation',
    );
  }
  return { predecessor: completed.token, successor: completed.successor, secret: response.secret, checkedBy, resumed: Boolean(plan.resumeOf), abortedStale };
}

