// Domain errors with a stable code and HTTP status; rendered as RFC 9457 problem+json by the app.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { errors?: { field: string; message: string }[]; candidates?: string[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const problems = {
  badRequest: (message: string, field?: string) =>
    new ApiError(400, 'invalid_request', message, field ? { errors: [{ field, message }] } : {}),
  unauthenticated: (message = 'missing or invalid bearer token') => new ApiError(401, 'unauthenticated', message),
  forbidden: (message: string) => new ApiError(403, 'forbidden', message),
  notFound: (what: string) => new ApiError(404, 'not_found', `${what} not found`),
  conflict: (code: string, message: string) => new ApiError(409, code, message),
  preconditionFailed: (message: string) => new ApiError(412, 'precondition_failed', message),
  unprocessable: (code: string, message: string) => new ApiError(422, code, message),
  tooManyRequests: (message: string, retryAfterSeconds: number) =>
    new ApiError(429, 'rate_limited', message, { headers: { 'retry-after': String(retryAfterSeconds) } }),
};

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
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
    ...(err.extra.candidates ? { candidates: err.extra.candidates } : {}),
  };
}

/** One schema failure as Ajv reports it (fastify's validation errors have the same shape). */
export interface ValidationFailure {
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A failed schema validation as the 400 every route sends, naming the first offending field. */
export function validationProblem(failures: readonly ValidationFailure[] | null | undefined, where: string, fallback: string): ApiError {
  const first = failures?.[0];
  if (!first) return new ApiError(400, 'invalid_request', fallback, { errors: [{ field: '', message: fallback }] });
  const params = first.params as Record<string, string>;
  const path = first.instancePath.replace(/^\//, '');
  const named = params.missingProperty ?? params.additionalProperty;
  const field = named ? (path ? `${path}/${named}` : named) : path;
  const message = params.additionalProperty
    ? `${where}: unknown field "${field}"`
    : params.missingProperty
      ? `${where}: missing required field "${field}"`
      : `${where}${field ? `.${field.replace(/\//g, '.')}` : ''} ${first.message}`;
  return new ApiError(400, 'invalid_request', message, { errors: [{ field, message }] });
}
