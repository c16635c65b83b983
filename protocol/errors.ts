/**
 * The closed set of error codes Tandem puts on the wire, and the one table from code to HTTP
 * status. REST answers `{ error: { code, message, issues? } }`; socket.io acks answer
 * `{ ok: false, error: { code, message } }`; a refused socket.io handshake carries the same
 * payload as its `connect_error` data, and a refused collab upgrade as its HTTP body.
 */
import { z } from 'zod'

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
  /** The interview has ended: it is read-only for everyone (no edits, runs or language switches). */
  'interview_ended',
  /** An interviewer locked the editor: candidates may not switch the language (their edits are dropped). */
  'editor_locked',
  /** An interviewer turned candidates' runs off for now; interviewers still run. */
  'runs_disabled',
  /** An interviewer removed this participant: their token is refused on every channel. */
  'participant_removed',
  /** The client speaks another protocol version (protocol/version.ts): reload the page. */
  'upgrade_required',
  /** This server lacks what the request needs (e.g. Chromium for report.pdf); the message says what. */
  'unavailable',
  'internal',
] as const
export const ErrorCode = z.enum(ErrorCodes)
export type ErrorCode = z.infer<typeof ErrorCode>

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
  interview_ended: 409,
  editor_locked: 423,
  runs_disabled: 403,
  participant_removed: 403,
  upgrade_required: 426,
  unavailable: 501,
  internal: 500,
}

/** One field that failed validation, e.g. `{ path: 'email', message: 'Invalid email' }`. */
export const ErrorIssue = z.strictObject({ path: z.string(), message: z.string() })
export type ErrorIssue = z.infer<typeof ErrorIssue>

export const ErrorPayload = z.strictObject({
  code: ErrorCode,
  message: z.string(),
  /** Every field that failed validation, for a `bad_request` from a schema. */
  issues: z.array(ErrorIssue).optional(),
})
export type ErrorPayload = z.infer<typeof ErrorPayload>

/** Body of every non-2xx REST answer (and of a refused collab upgrade). */
export const ApiErrorBody = z.strictObject({ error: ErrorPayload })
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

/** What every socket.io acknowledgement carries. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorPayload }
