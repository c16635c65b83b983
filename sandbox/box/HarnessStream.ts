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
  /** A frame longer than the stream's limit (a huge return value); it is dropped unread. */
  | { type: 'oversized'; maxBytes: number }

const recordSeparator = 0x1e
const newline = 0x0a

export class HarnessStream {
  private readonly marker: Buffer
  /** Bytes not yet classified: at most a marker's length, the tail of the last chunk. */
  private pending: Buffer = Buffer.alloc(0)
  /**
   * The body of a frame whose newline has not arrived yet, in chunks (and its length), or
   * 'dropping' once it passed the limit: its bytes up to the newline are then discarded.
   */
  private frame: Buffer[] | 'dropping' | undefined
  private frameBytes = 0
  /** A frame may be at most this long (a big return value); bytes. */
  private readonly maxFrameBytes: number

  constructor(nonce: string, maxFrameBytes: number) {
    this.marker = Buffer.concat([Buffer.from([recordSeparator]), Buffer.from(nonce, 'ascii')])
    this.maxFrameBytes = maxFrameBytes
  }

  /**
   * Feeds a chunk; returns the console bytes and frames it completes, in order. Linear in the
   * bytes fed: each byte is searched once. A frame's body used to be kept as one buffer,
   * concatenated with every chunk and searched again from its start, so a 32 MiB result frame
   * in 64 KiB chunks cost gigabytes of copying on the sandbox's main thread (issue 13).
   */
  push(chunk: Buffer): HarnessEvent[] {
    const events: HarnessEvent[] = []
    let rest = chunk
    if (this.frame !== undefined) {
      const lineEnd = rest.indexOf(newline)
      if (lineEnd === -1) {
        this.collect(rest, events)
        return events
      }
      this.collect(rest.subarray(0, lineEnd), events)
      const frame = this.frame
      this.frame = undefined
      if (frame !== 'dropping') events.push(parseFrame(Buffer.concat(frame).toString('utf8')))
      rest = rest.subarray(lineEnd + 1)
    }
    this.pending = this.pending.length === 0 ? rest : Buffer.concat([this.pending, rest])
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
      const bodyAt = at + this.marker.length
      const lineEnd = this.pending.indexOf(newline, bodyAt)
      if (lineEnd === -1) {
        // The frame continues in later chunks.
        this.frame = []
        this.frameBytes = 0
        this.collect(this.pending.subarray(bodyAt), events)
        this.pending = Buffer.alloc(0)
        return events
      }
      const body = this.pending.subarray(bodyAt, lineEnd).toString('utf8')
      this.pending = this.pending.subarray(lineEnd + 1)
      events.push(parseFrame(body))
    }
  }

  /** Adds bytes to the pending frame; past the limit, the frame is dropped (its rest too). */
  private collect(bytes: Buffer, events: HarnessEvent[]): void {
    if (this.frame === undefined || this.frame === 'dropping') return
    this.frameBytes += bytes.length
    if (this.frameBytes > this.maxFrameBytes) {
      events.push({ type: 'oversized', maxBytes: this.maxFrameBytes })
      this.frame = 'dropping'
      return
    }
    this.frame.push(bytes)
  }

  /** The stream ended: whatever is pending is console output (a frame cut off included). */
  end(): HarnessEvent[] {
    const frame = this.frame
    this.frame = undefined
    const rest =
      frame === undefined || frame === 'dropping'
        ? this.pending
        : Buffer.concat([this.marker, ...frame, this.pending])
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
