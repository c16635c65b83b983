/**
 * Replay (issue 9.6): the whole session as a timeline, the code as it stood at any moment, and
 * runs of that code ("Run at this point"). Interviewers only, live or ended:
 *
 *   GET  /api/interviews/:id/timeline          → TimelineEntry[], ordered by `at`
 *   GET  /api/interviews/:id/code?at=<unix ms> → CodeAt
 *   POST /api/interviews/:id/replay-runs       ← ReplayRunBody → { runId }
 *   GET  /api/interviews/:id/replay-runs/:runId → RunRecord (protocol/api.ts)
 *
 * A replay run's events go to the interview's interviewers only, as `replay:event`
 * (protocol/realtime.ts); candidates never receive them, and the live room's run stream is not
 * disturbed.
 */
import { z } from 'zod'
import { DocName } from './collab.ts'
import { LanguageId } from './languages.ts'
import { Role } from './people.ts'
import { RunMode } from './run.ts'
import { SignalDetail } from './signals.ts'
import { Verdict } from './verdicts.ts'

/**
 * Edits by one author to one document less than this apart, ms, are one burst on the timeline:
 * a typist's keystrokes (hundreds a minute) become a line per pause, so the list stays readable.
 */
export const editBurstGapMs = 5_000

const at = z.number().int().nonnegative()

/** Who wrote an edit burst: a participant, the server (starter code), or not recorded. */
export const EditAuthor = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('participant'), participantId: z.string(), role: Role }),
  z.strictObject({ kind: z.literal('server'), reason: z.string() }),
  z.strictObject({ kind: z.literal('unknown') }),
])
export type EditAuthor = z.infer<typeof EditAuthor>

/** One line of the timeline. Every entry has `at` (Unix ms, the server's clock) and `kind`. */
export const TimelineEntry = z.discriminatedUnion('kind', [
  /** Consecutive updates of one author to one document (see `editBurstGapMs`). */
  z.strictObject({
    kind: z.literal('edit'),
    at,
    /** When the burst's last update was received, Unix ms. */
    until: at,
    doc: DocName,
    author: EditAuthor,
    /** The participant, when a participant wrote it. */
    participantId: z.string().optional(),
    /** How many stored updates the burst holds. */
    updates: z.number().int().positive(),
  }),
  /** A run, at the moment it was asked for, with its verdict (null while in flight). */
  z.strictObject({
    kind: z.literal('run'),
    at,
    runId: z.string(),
    participantId: z.string(),
    role: Role,
    mode: RunMode,
    language: LanguageId,
    verdict: Verdict.nullable(),
    passed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** Set on a replay run: the moment whose code it ran, Unix ms. */
    replayOf: at.optional(),
  }),
  z.strictObject({
    kind: z.enum(['join', 'leave']),
    at,
    doc: DocName,
    participantId: z.string(),
    role: Role,
  }),
  z.strictObject({
    kind: z.literal('language'),
    at,
    participantId: z.string(),
    role: Role,
    from: LanguageId,
    to: LanguageId,
  }),
  /** An integrity signal (protocol/signals.ts): a fact on the timeline, never a judgement. */
  z.strictObject({
    kind: z.literal('signal'),
    at,
    participantId: z.string(),
    role: Role,
    name: z.string(),
    detail: SignalDetail,
  }),
])
export type TimelineEntry = z.infer<typeof TimelineEntry>

/** A stretch of a file's text inserted by one participant (null: the server, or not known). */
export const AuthorSpan = z.strictObject({
  participantId: z.string().nullable(),
  /** Characters (UTF-16 code units, as `content` counts them). */
  length: z.number().int().positive(),
})
export type AuthorSpan = z.infer<typeof AuthorSpan>

/** The code document as it stood at one moment. */
export const CodeAt = z.strictObject({
  at,
  /** The room's language then. */
  language: LanguageId,
  /** The solution file of that language (what the room's editor showed). */
  activeFile: z.string(),
  files: z.array(
    z.strictObject({
      path: z.string(),
      content: z.string(),
      /** `content` cut into who inserted each stretch, in order; the lengths add up to it. */
      spans: z.array(AuthorSpan),
    }),
  ),
  /** Id of the last stored update the code includes (0: none): what a replay run records. */
  uptoUpdateId: z.number().int().nonnegative(),
})
export type CodeAt = z.infer<typeof CodeAt>

/** `?at=` of `GET …/code`: Unix ms, as a decimal string. */
export const CodeAtQuery = z.strictObject({
  at: z
    .string()
    .regex(/^\d{1,16}$/, 'a time in Unix milliseconds')
    .transform(Number),
})

export const ReplayRunBody = z.strictObject({
  /** The moment whose code to run, Unix ms. */
  at,
})
export type ReplayRunBody = z.infer<typeof ReplayRunBody>
