// The HTTP edge's errors: the one table from a service's error kind to an HTTP status, and every
// error as the RFC 9457 problem+json document routes and the verify fast path send.
import type { FastifyError } from 'fastify';
import { DomainError, type ErrorDetail, type ErrorKind } from './service/errors.js';
import type { PolicyViolation } from '../shared/policy-rules.js';
import { redactSecretShapes } from '../shared/secret.js';
import { StoreUnavailableError } from './store/types.js';

/** The status each kind of domain error is answered with. */
const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  rate_limited: 429,
};

/** The status an answer of `kind` has. */
export function statusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind];
}

/** The `WWW-Authenticate` challenge of a 401 (a verify refusal appends its error). */
export const BEARER_CHALLENGE = 'Bearer realm="tokens"';

type ApiErrorExtra = { errors?: { field: string; message: string }[]; headers?: Record<string, string>; violations?: PolicyViolation[] };

/**
 * An error in HTTP terms: a status, a stable code, and what the problem document and headers carry.
 * Whatever in its message or fields has the shape of a secret (a value the caller sent, echoed by
 * some message) is cut down to its prefix here, so no answer, log line or audit detail made from it
 * repeats a secret.
 */
export class ApiError extends Error {
  readonly extra: ApiErrorExtra;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    extra: ApiErrorExtra = {},
  ) {
    super(redactSecretShapes(message));
    this.extra = extra.errors ? { ...extra, errors: extra.errors.map((e) => ({ field: redactSecretShapes(e.field), message: redactSecretShapes(e.message) })) } : extra;
  }
}

/** An answer of `kind`, its status from the table; `headers` are sent as they are. */
export function problem(kind: ErrorKind, code: string, message: string, detail: ErrorDetail & { headers?: Record<string, string> } = {}): ApiError {
  const headers = detail.retryAfterSeconds === undefined ? detail.headers : { ...detail.headers, 'retry-after': String(detail.retryAfterSeconds) };
  return new ApiError(statusOf(kind), code, message, {
    ...(detail.field === undefined ? {} : { errors: [{ field: detail.field, message }] }),
    ...(headers ? { headers } : {}),
    ...(detail.violations ? { violations: detail.violations } : {}),
  });
}

/** A bug, answered without its details (the log has them under the request id). */
export function internalError(): ApiError {
  return new ApiError(500, 'internal', 'internal error; the request id identifies it in the server log');
}

/** Seconds a client is asked to wait before trying again when the store is not answering. */
export const STORE_RETRY_AFTER_SECONDS = 1;

/**
 * The store lost its connection or did not answer in time: 503, safe to retry after Retry-After. A
 * write is retried by the server itself only when it provably did not commit; the detail says when
 * it may have been applied (retry it with the same Idempotency-Key, or look before repeating it).
 */
export function storeUnavailable(err: StoreUnavailableError): ApiError {
  return new ApiError(503, err.code, err.message, { headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) } });
}

/** A body that does not parse as the JSON its Content-Type promises. */
export function invalidJson(bodyWasEmpty: boolean): ApiError {
  return problem('invalid_input', 'invalid_json', bodyWasEmpty ? 'the body is empty but Content-Type says JSON' : 'the body is not valid JSON');
}

/** A service's refusal as the HTTP answer. */
export function problemFor(err: DomainError): ApiError {
  return problem(err.kind, err.code, err.message, err.detail);
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The RFC 9457 document for an error, as every route (and the verify fast path) sends it. */
export function problemDocument(err: ApiError, requestId: string): Record<string, unknown> {
  return {
    type: `urn:tokens:problem:${err.code}`,
    title: TITLES[err.status] ?? 'Error',
    status: err.status,
    detail: err.message,
    code: err.code,
    request_id: requestId,
    ...(err.extra.errors ? { errors: err.extra.errors } : {}),
    ...(err.extra.violations ? { violations: err.extra.violations } : {}),
  };
}

/** One schema failure as Ajv reports it (fastify's validation errors have the same shape). */
interface ValidationFailure {
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A failed schema validation as the 400 every route sends, naming the first offending field. */
export function validationProblem(failures: readonly ValidationFailure[] | null | undefined, where: string, fallback: string): ApiError {
  const first = failures?.[0];
  if (!first) return problemFor(DomainError.invalidInput(fallback, ''));
  const params = first.params as Record<string, string>;
  const path = first.instancePath.replace(/^\//, '');
  const named = params.missingProperty ?? params.additionalProperty;
  const field = named ? (path ? `${path}/${named}` : named) : path;
  const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
  const message = params.additionalProperty
    ? `${where}: unknown field "${field}"`
    : params.missingProperty
      ? `${where}: missing required field "${field}"`
      : `${where}${field ? `.${field.replace(/\//g, '.')}` : ''} ${allowed ? `must be one of: ${allowed.join(', ')}` : first.message}`;
  return problemFor(DomainError.invalidInput(message, field));
}

/** What a handler threw, as the answer: a service's refusal through the status table, fastify's own errors (parsing, limits, validation) as stable codes. */
export function toApiError(err: FastifyError | DomainError | StoreUnavailableError): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return problemFor(err);
  if (err instanceof StoreUnavailableError) return storeUnavailable(err);
  if (err.validation) return validationProblem(err.validation, err.validationContext ?? 'request', err.message);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'body_too_large', 'request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson(true);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidJson(false);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('invalid_input', 'invalid_request', 'Content-Length does not match the body');
  }
  if (err instanceof SyntaxError) return invalidJson(false);
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError(status, 'invalid_request', err.message.split('\n')[0]!);
  return internalError();
}


/** The router's refusals of a URL (fastify's frameworkErrors), without echoing the URL: it may hold a secret. */
export function frameworkProblem(err: { code?: string }): ApiError {
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return new ApiError(400, 'bad_url', 'the URL path is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, 'path_segment_too_long', 'a path segment is longer than the server accepts (200 characters)');
    default:
      return internalError();
  }
}

/** A token or webhook looked up by something shaped like a secret: said so, never echoed. */
export function secretAsIdentifier(): ApiError {
  return new ApiError(
    400,
    'looks_like_secret',
    'that looks like a token secret, not an id; look a secret up with POST /v1/tokens/lookup-by-value (tokens scan), or revoke it with tokens revoke --value -',
  );
}
