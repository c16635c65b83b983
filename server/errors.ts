/**
 * One error type for everything Tandem reports to a user, with a closed set of codes
 * (protocol/errors.ts). Anything thrown is normalised by `toTandemError` at each boundary
 * (HTTP handler, socket.io handler, collab frame), so users get a clear message and never a stack.
 */
import { z } from 'zod'
import {
  httpStatusOf,
  type ErrorCode,
  type ErrorIssue,
  type ErrorPayload,
} from '../protocol/errors.ts'

export class TandemError extends Error {
  override name = 'TandemError'
  readonly code: ErrorCode
  readonly issues: ErrorIssue[] | undefined
  /** When to try again, whole seconds (sent as HTTP Retry-After): rate_limited, a wrong password. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: ErrorIssue[]; cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.issues = options?.issues
    this.retryAfterSeconds = options?.retryAfterSeconds
  }

  get httpStatus(): number {
    return httpStatusOf[this.code]
  }

  toPayload(): ErrorPayload {
    return this.issues === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, issues: this.issues }
  }
}

/**
 * Turns a zod failure into a 400 that names every bad field. A field the schema does not know
 * (strict schemas refuse them) is named by its own path: `{ mode, code }` gives `code: Unknown
 * field`, not a complaint about the object that holds it.
 */
export function fromZodError(error: z.ZodError, what = 'request'): TandemError {
  const issues = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'Unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  )
  const first = issues[0]
  const detail = first === undefined ? '' : `: ${first.path} — ${first.message}`
  return new TandemError('bad_request', `Invalid ${what}${detail}`, { issues })
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)'
}

/**
 * Normalises anything thrown. TandemErrors pass through; zod errors become bad_request;
 * everything else is an internal error whose details stay in the log, not in the answer.
 */
export function toTandemError(error: unknown): TandemError {
  if (error instanceof TandemError) return error
  if (error instanceof z.ZodError) return fromZodError(error)
  return new TandemError('internal', 'Something went wrong on the server. It has been logged.', {
    cause: error,
  })
}

/** Parses untrusted input with a schema, throwing a bad_request TandemError on failure. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what?: string,
): z.infer<T> {
  const result = schema.safeParse(input)
  if (!result.success) throw fromZodError(result.error, what)
  return result.data
}
