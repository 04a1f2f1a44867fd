// Why a service refused, in domain terms: a kind and a stable `code` that clients see. Services know
// nothing of HTTP; the edge turns a kind into a status in one table (problems.ts).
import { policyName, type PolicyViolation } from '../../shared/policy-rules.js';

export type ErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'unprocessable'
  | 'rate_limited';

export interface ErrorDetail {
  /** The request field at fault (a JSON pointer without the leading slash, or a header name). */
  field?: string;
  /** When a rate-limited caller may try again. */
  retryAfterSeconds?: number;
  /** The policy rules a change would break (code policy_violation). */
  violations?: PolicyViolation[];
}

export const NO_VALID_BEARER = 'missing or invalid bearer token';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
  }

  static invalidInput(message: string, field?: string): DomainError {
    return new DomainError('invalid_input', 'invalid_request', message, field === undefined ? {} : { field });
  }

  static unauthenticated(message = NO_VALID_BEARER): DomainError {
    return new DomainError('unauthenticated', 'unauthenticated', message);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', 'forbidden', message);
  }

  /** A refusal with a code of its own, e.g. `cross_site_request`. */
  static forbiddenCode(code: string, message: string): DomainError {
    return new DomainError('forbidden', code, message);
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', 'not_found', `${what} not found`);
  }

  static conflict(code: string, message: string): DomainError {
    return new DomainError('conflict', code, message);
  }

  static preconditionFailed(message: string): DomainError {
    return new DomainError('precondition_failed', 'precondition_failed', message);
  }

  static unprocessable(code: string, message: string): DomainError {
    return new DomainError('unprocessable', code, message);
  }

  /**
   * A change that would break a policy. Unprocessable (422) rather than a conflict (409): the request
   * is refused for what it asks, and sending it again cannot succeed until the request changes (or
   * the policy does), whereas a 409 is about the resource's state and may pass once that moves on.
   */
  static policyViolation(violations: PolicyViolation[]): DomainError {
    const reasons = violations.map((v) => `${policyName(v.scope)}: ${v.message}`).join('; ');
    return new DomainError('unprocessable', 'policy_violation', `refused by policy: ${reasons}`, { violations });
  }

  static rateLimited(message: string, retryAfterSeconds: number): DomainError {
    return new DomainError('rate_limited', 'rate_limited', message, { retryAfterSeconds });
  }
}
