/**
 * One attempt to deliver one webhook: a POST to the endpoint's URL, connected to the address the
 * OutboundGuard checked, within a deadline, following no redirect. The answer's body is read
 * only up to a short excerpt. Every outcome is a value (delivered, or why not), never a throw.
 */
import http from 'node:http'
import https from 'node:https'
import { toTandemError } from '../errors.ts'
import { pinnedLookup, type OutboundGuard } from './OutboundGuard.ts'

/** How much of an answer's body the delivery log keeps, characters. */
export const excerptChars = 256
/** Bytes read from an answer before the connection is dropped (enough for the excerpt). */
const readBytes = 4096

export interface PostRequest {
  url: string
  /** The signature headers; the content type and user agent are added. */
  headers: Record<string, string>
  body: string
  /** For the whole attempt: resolving, connecting, sending, and the answer's head, ms. */
  timeoutMs: number
  guard: OutboundGuard
  userAgent: string
}

export type PostOutcome =
  | { delivered: true; statusCode: number; excerpt: string }
  | { delivered: false; statusCode: number | null; error: string; excerpt: string | null }

export async function postWebhook(request: PostRequest): Promise<PostOutcome> {
  const url = new URL(request.url)
  let checked
  try {
    checked = await request.guard.check(url.hostname)
  } catch (error) {
    return {
      delivered: false,
      statusCode: null,
      error: toTandemError(error).message,
      excerpt: null,
    }
  }
  const send = url.protocol === 'https:' ? https.request : http.request
  return new Promise<PostOutcome>((resolve) => {
    let settled = false
    const finish = (outcome: PostOutcome): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(outcome)
    }
    const req = send(url, {
      method: 'POST',
      // Connect to the checked address, never to what DNS answers next (rebinding).
      lookup: pinnedLookup(checked),
      // A fresh connection per attempt: a pooled socket could be to an address checked earlier.
      agent: false,
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': request.userAgent,
      },
    })
    const timer = setTimeout(() => {
      finish({
        delivered: false,
        statusCode: null,
        error: `No answer within ${String(request.timeoutMs)} ms.`,
        excerpt: null,
      })
    }, request.timeoutMs)
    req.on('error', (error) => {
      finish({ delivered: false, statusCode: null, error: connectionError(error), excerpt: null })
    })
    req.on('response', (res) => {
      const statusCode = res.statusCode ?? 0
      const chunks: Buffer[] = []
      let size = 0
      const done = (): void => {
        const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, excerptChars)
        if (statusCode >= 200 && statusCode < 300) {
          finish({ delivered: true, statusCode, excerpt })
        } else {
          finish({ delivered: false, statusCode, error: statusError(statusCode, res), excerpt })
        }
      }
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.length
        // Enough for the log: the rest of a large answer is never read.
        if (size >= readBytes) done()
      })
      res.on('end', done)
      res.on('error', done)
    })
    req.end(request.body)
  })
}

function statusError(statusCode: number, res: http.IncomingMessage): string {
  if (statusCode >= 300 && statusCode < 400) {
    const location = res.headers.location ?? 'nowhere'
    return `The receiver redirected (${String(statusCode)}) to ${location.slice(0, 200)}; Tandem does not follow redirects: register the final URL.`
  }
  if (statusCode === 410) return 'The receiver answered 410 Gone.'
  return `The receiver answered ${String(statusCode)}.`
}

function connectionError(error: Error): string {
  const code = (error as { code?: string }).code
  return code === undefined ? `Could not deliver: ${error.message}` : `Could not connect (${code}).`
}
