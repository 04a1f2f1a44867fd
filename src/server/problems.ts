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
