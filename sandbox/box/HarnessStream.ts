/**
 * The function-style harness protocol, host side. The harness and the candidate's prints share
 * one ordered stream (stdout with stderr merged in); the harness marks test boundaries and
 * results with frames the candidate's own output cannot produce by accident:
 *
 *   \x1e <nonce> <kind> [<index>] [ <payload>] \n
 *
 *   S<i>            test i starts (the host starts its time budget)
 *   R<i> <json>     test i returned <json>
 *   E<i> <json>     test i raised: {"message", "stack"?}
 *   M<i> <json>     test i ran out of memory inside the runtime (Java heap, MemoryError)
 *   T<i> <text>     test i crashed on a signal; a stack trace follows as plain output
 *   C <json>        the source does not compile (Python syntax errors): {"message"}
 *   F <json>        the harness cannot start the tests: {"message", "stack"?}
 *   D               all tests ran
 *
 * The nonce is random per run and reaches the harness on stdin. Candidate code runs in the
 * same process and can read it, so a frame is never trusted for more than the harness could be
 * made to say anyway: "test i returned <value>". The host judges that value, it checks that
 * frames come in order, and it measures time itself. Forging a result is equivalent to
 * returning it; expected values never enter the box.
 */

export type HarnessFrame =
  | { kind: 'start'; index: number }
  | { kind: 'result'; index: number; json: string }
  | { kind: 'error'; index: number; json: string }
  | { kind: 'memory'; index: number; json: string }
  | { kind: 'trace'; index: number; text: string }
  | { kind: 'compile'; json: string }
  | { kind: 'fatal'; json: string }
  | { kind: 'done' }

export type HarnessEvent =
  | { type: 'console'; bytes: Buffer }
  | { type: 'frame'; frame: HarnessFrame }
  /** A frame with the right nonce but a shape the harness never writes. */
  | { type: 'garbage'; text: string }

const recordSeparator = 0x1e
const newline = 0x0a

export class HarnessStream {
  private readonly marker: Buffer
  private pending: Buffer = Buffer.alloc(0)
  /** A frame may be at most this long (a big return value); bytes. */
  private readonly maxFrameBytes: number

  constructor(nonce: string, maxFrameBytes: number) {
    this.marker = Buffer.concat([Buffer.from([recordSeparator]), Buffer.from(nonce, 'ascii')])
    this.maxFrameBytes = maxFrameBytes
  }

  /** Feeds a chunk; returns the console bytes and frames it completes, in order. */
  push(chunk: Buffer): HarnessEvent[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const events: HarnessEvent[] = []
    for (;;) {
      const at = this.pending.indexOf(this.marker)
      if (at === -1) {
        // Keep a tail that could be the start of a marker split across chunks.
        const keep = Math.min(this.pending.length, this.marker.length - 1)
        const cut = this.pending.length - keep
        const tailAt = this.pending.indexOf(recordSeparator, cut)
        const end = tailAt === -1 ? this.pending.length : tailAt
        if (end > 0) events.push({ type: 'console', bytes: this.pending.subarray(0, end) })
        this.pending = this.pending.subarray(end)
        return events
      }
      if (at > 0) events.push({ type: 'console', bytes: this.pending.subarray(0, at) })
      const lineEnd = this.pending.indexOf(newline, at + this.marker.length)
      if (lineEnd === -1) {
        this.pending = this.pending.subarray(at)
        if (this.pending.length > this.maxFrameBytes) {
          events.push({ type: 'garbage', text: 'a result frame is larger than the limit' })
          this.pending = Buffer.alloc(0)
        }
        return events
      }
      const body = this.pending.subarray(at + this.marker.length, lineEnd).toString('utf8')
      this.pending = this.pending.subarray(lineEnd + 1)
      events.push(parseFrame(body))
    }
  }

  /** The stream ended: whatever is pending is console output. */
  end(): HarnessEvent[] {
    const rest = this.pending
    this.pending = Buffer.alloc(0)
    return rest.length === 0 ? [] : [{ type: 'console', bytes: rest }]
  }
}

function parseFrame(body: string): HarnessEvent {
  const match = /^([SREMTCFD])(\d*)(?: ([^]*))?$/.exec(body)
  if (match === null) return { type: 'garbage', text: body.slice(0, 200) }
  const [, kind = '', digits = '', payload = ''] = match
  const index = Number(digits)
  const indexed = digits !== '' && Number.isSafeInteger(index)
  const frame = ((): HarnessFrame | undefined => {
    switch (kind) {
      case 'S':
        return indexed ? { kind: 'start', index } : undefined
      case 'R':
        return indexed ? { kind: 'result', index, json: payload } : undefined
      case 'E':
        return indexed ? { kind: 'error', index, json: payload } : undefined
      case 'M':
        return indexed ? { kind: 'memory', index, json: payload } : undefined
      case 'T':
        return indexed ? { kind: 'trace', index, text: payload } : undefined
      case 'C':
        return { kind: 'compile', json: payload }
      case 'F':
        return { kind: 'fatal', json: payload }
      case 'D':
        return { kind: 'done' }
      default:
        return undefined
    }
  })()
  return frame === undefined
    ? { type: 'garbage', text: body.slice(0, 200) }
    : { type: 'frame', frame }
}
