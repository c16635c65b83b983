/**
 * The one way the web app talks to the REST API. Every failure, whether the server answered an
 * `ApiErrorBody`, something that is not JSON, or nothing at all, becomes an `ApiError` with a
 * message a person can read.
 */
import type { ApiErrorBody, ErrorCode, ErrorIssue } from '../../../protocol/errors.ts'

/** `network` means the request never got an answer (server down, offline). */
export type ApiErrorCode = ErrorCode | 'network'

export class ApiError extends Error {
  override name = 'ApiError'
  readonly code: ApiErrorCode
  /** HTTP status; 0 when there was no answer. */
  readonly status: number
  readonly issues: readonly ErrorIssue[]

  constructor(options: {
    code: ApiErrorCode
    status: number
    message: string
    issues?: readonly ErrorIssue[]
  }) {
    super(options.message)
    this.code = options.code
    this.status = options.status
    this.issues = options.issues ?? []
  }

  /** The message of the first issue on `field`, for showing next to a form input. */
  issueFor(field: string): string | undefined {
    return this.issues.find((issue) => issue.path === field)?.message
  }
}

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json` (the server's CSRF defence requires it). */
  body?: unknown
  /** Participant or API token, sent as `Authorization: Bearer <token>`. */
  token?: string
  signal?: AbortSignal
}

type Method = 'GET' | 'POST' | 'DELETE'

export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
  // Mutations always carry the JSON content type, even without a body, so the server accepts them.
  if (method !== 'GET') headers['Content-Type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}),
      signal: options.signal ?? null,
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError({
      code: 'network',
      status: 0,
      message: 'Cannot reach the Tandem server. Check your connection and try again.',
    })
  }
  if (response.status === 204) return undefined as T
  const body = await readJson(response)
  if (response.ok) {
    if (body === notJson) throw unexpectedAnswer(response.status)
    return body as T
  }
  if (isApiErrorBody(body)) {
    throw new ApiError({
      code: body.error.code,
      status: response.status,
      message: body.error.message,
      ...(body.error.issues === undefined ? {} : { issues: body.error.issues }),
    })
  }
  throw unexpectedAnswer(response.status)
}

export const api = {
  get: <T>(path: string, options?: RequestOptions): Promise<T> => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> =>
    request<T>('POST', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions): Promise<T> =>
    request<T>('DELETE', path, options),
}

/** A readable message for anything thrown, for places that show errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}

const notJson = Symbol('notJson')

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? ''
  if (!type.includes('json')) return notJson
  try {
    return await response.json()
  } catch {
    return notJson
  }
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const { error } = value
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

function unexpectedAnswer(status: number): ApiError {
  // A proxy without a backend (502), an HTML page where JSON was expected, and so on.
  return new ApiError({
    code: 'internal',
    status,
    message:
      status >= 502 && status <= 504
        ? `Cannot reach the Tandem server (HTTP ${status}). Try again in a moment.`
        : status >= 500
          ? `The Tandem server is not answering properly (HTTP ${status}). Try again in a moment.`
          : `Unexpected answer from the server (HTTP ${status}).`,
  })
}
