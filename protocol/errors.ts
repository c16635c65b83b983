/**
 * The closed set of error codes Tandem puts on the wire, and the one table from code to HTTP
 * status. REST answers `{ error: { code, message, issues? } }`; socket.io acks answer
 * `{ ok: false, error: { code, message } }`.
 */
export const ErrorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'run_in_progress',
  'language_unavailable',
  'internal',
] as const
export type ErrorCode = (typeof ErrorCodes)[number]

export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  run_in_progress: 409,
  language_unavailable: 422,
  internal: 500,
}

/** One field that failed validation, e.g. `{ path: 'email', message: 'Invalid email' }`. */
export interface ErrorIssue {
  path: string
  message: string
}

export interface ErrorPayload {
  code: ErrorCode
  message: string
  issues?: ErrorIssue[]
}

/** Body of every non-2xx REST answer. */
export interface ApiErrorBody {
  error: ErrorPayload
}

/** What every socket.io acknowledgement carries. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorPayload }
