/**
 * Integrity signals (issue 9.4): facts about how code reached the editor, recorded on the
 * timeline and shown to interviewers as they happen. Nothing is judged: a signal says what
 * happened, never what it means.
 *
 * - `paste` and `focus` are reported by the candidate's own client (`signal:report`): the server
 *   can see neither a clipboard nor a browser tab.
 * - `largeInsert` is detected by the server from the collab document: one update by a candidate
 *   that inserts at least `largeInsertChars` characters, whatever the client says or does not say.
 * - `dropped` is the server's note that a participant's reports went past the rate limit: they
 *   were refused (`rate_limited`) and are counted here instead of recorded one by one.
 *
 * The candidate is told, before they start, exactly what is recorded (`signalDisclosure`).
 * Interviewers' clients report nothing; candidates never receive a signal on any channel.
 */
import { z } from 'zod'

/**
 * Characters one update by a candidate must insert into the code, across its texts, to be
 * recorded as a `largeInsert`. Larger than any completion or snippet Monaco inserts (a few
 * dozen characters) and than a fast typist's keystrokes batched in one update, smaller than a
 * pasted function of a dozen lines.
 */
export const largeInsertChars = 400

/** What the candidate reads in the join page and the room: what their interviewer sees. */
export const signalDisclosure =
  'Your interviewer sees when you paste into the editor (how much, and where), when this tab loses or regains focus, and very large insertions into the code.'

const count = z.number().int().nonnegative().max(100_000_000)
const lineNumber = z.number().int().min(1).max(10_000_000)
/** A key of the code document's `files` map (protocol/collab.ts). */
const filePath = z.string().min(1).max(200)

export const PasteReport = z.strictObject({
  kind: z.literal('paste'),
  /** Characters pasted (UTF-16 units, as the editor counts them). */
  chars: count,
  /** Lines the pasted text spans (1 for text without a line break). */
  lines: count,
  /** The file pasted into. */
  path: filePath,
  /** The 1-based line the paste starts on. */
  line: lineNumber,
})

export const FocusReport = z.strictObject({
  kind: z.literal('focus'),
  /** `lost`: the tab was hidden or the window lost focus; `regained`: back. */
  state: z.enum(['lost', 'regained']),
})

/** `signal:report`: what a candidate's client may report. Strict: an unknown field is refused. */
export const SignalReport = z.discriminatedUnion('kind', [PasteReport, FocusReport])
export type SignalReport = z.infer<typeof SignalReport>

/** What a signal says happened: a report as it was accepted, or what the server saw itself. */
export const SignalDetail = z.discriminatedUnion('kind', [
  PasteReport,
  FocusReport,
  z.strictObject({
    kind: z.literal('largeInsert'),
    /** Characters the update inserted. */
    chars: count,
    /** Lines the inserted text spans. */
    lines: count,
    path: filePath,
    /** The 1-based line where the (first) insertion starts. */
    line: lineNumber,
    /**
     * `edit`: a live update; `sync`: the catch-up a client sends when it (re)connects, which
     * carries everything typed while it was offline in one update.
     */
    via: z.enum(['edit', 'sync']),
  }),
  z.strictObject({
    kind: z.literal('dropped'),
    /** Reports refused by the rate limit since the last signal of this kind. */
    count: count,
  }),
])
export type SignalDetail = z.infer<typeof SignalDetail>
export type SignalKind = SignalDetail['kind']

/** One signal as interviewers receive it (`signal`, `signal:history`) and the report lists it. */
export const Signal = z.strictObject({
  /** ISO 8601: when the server received it (the interview clock counts from `startedAt`). */
  at: z.string(),
  participantId: z.string(),
  /** The participant's display name. */
  name: z.string(),
  detail: SignalDetail,
})
export type Signal = z.infer<typeof Signal>

/** One line saying what a signal records, e.g. "pasted 120 characters (4 lines) at main.js:12". */
export function describeSignal(detail: SignalDetail): string {
  switch (detail.kind) {
    case 'paste':
      return `pasted ${plural(detail.chars, 'character')} (${plural(detail.lines, 'line')}) at ${detail.path}:${detail.line}`
    case 'focus':
      return detail.state === 'lost' ? 'left the tab (focus lost)' : 'came back to the tab'
    case 'largeInsert':
      return `inserted ${plural(detail.chars, 'character')} (${plural(detail.lines, 'line')}) in one ${detail.via === 'sync' ? 'reconnect catch-up' : 'edit'} at ${detail.path}:${detail.line}`
    case 'dropped':
      return `sent ${plural(detail.count, 'more report')} than the rate limit allows (not recorded one by one)`
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
