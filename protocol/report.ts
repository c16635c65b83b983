/**
 * The interview report (issue 9.7): everything the hiring team needs about one interview, as
 * `GET /api/interviews/:id/report` answers it and as report.html and report.pdf render it.
 * Interviewers only: it carries hidden tests' results and everything interviewer-only.
 */
import { z } from 'zod'
import { Interview } from './api.ts'
import { LanguageId } from './languages.ts'
import { Role } from './people.ts'
import { RunInfo, RunSummary, TestResult } from './run.ts'
import { Signal } from './signals.ts'
import { Scorecards } from './scorecards.ts'
import { Verdict } from './verdicts.ts'

export const ReportFile = z.strictObject({ path: z.string(), content: z.string() })
export type ReportFile = z.infer<typeof ReportFile>

/** One run with its results and the code it ran. */
export const ReportRun = z.strictObject({
  info: RunInfo,
  /** Null for a run the server never finished (it crashed meanwhile). */
  summary: RunSummary.nullable(),
  results: z.array(TestResult),
  /** The file it ran, as the document stood when the run started; null when it is not known. */
  code: z.string().nullable(),
})
export type ReportRun = z.infer<typeof ReportRun>

export const ReportPerson = z.strictObject({
  name: z.string(),
  role: Role,
  /** ISO 8601. */
  joinedAt: z.string(),
  /** When an interviewer removed them (candidates only); null otherwise. */
  removedAt: z.string().nullable(),
})
export type ReportPerson = z.infer<typeof ReportPerson>

/** The timeline in figures. */
export const ReportSummary = z.strictObject({
  /** From the candidate's first entry to the end (or to when the report was made, if live), ms. */
  durationMs: z.number().nonnegative().nullable(),
  /** From the candidate's first entry to the first run of anyone, ms; null with no run. */
  timeToFirstRunMs: z.number().nonnegative().nullable(),
  runs: z.number().int().nonnegative(),
  /** Runs that passed every test. */
  passingRuns: z.number().int().nonnegative(),
  /** The verdict of the last run; null with no run. */
  lastVerdict: Verdict.nullable(),
  /** Time spent in each language the room was in, ms, in the order first used. */
  timePerLanguage: z.array(z.strictObject({ language: LanguageId, ms: z.number().nonnegative() })),
  /** Language switches, joins and leaves recorded on the timeline. */
  languageSwitches: z.number().int().nonnegative(),
  /**
   * Integrity signals on the timeline, by kind (protocol/signals.ts): facts, counted, not judged.
   * `dropped` counts reports refused by the rate limit, not the signals that recorded them.
   */
  signals: z.strictObject({
    pastes: z.number().int().nonnegative(),
    focusLosses: z.number().int().nonnegative(),
    largeInserts: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
  }),
})
export type ReportSummary = z.infer<typeof ReportSummary>

/** An interviewer's line comment, with the code it points at in the final code. */
export const ReportComment = z.strictObject({
  author: z.string(),
  /** ISO 8601, the author's clock. */
  createdAt: z.string(),
  text: z.string(),
  path: z.string(),
  /** As server/notes/resolveComments.ts says: the code is there, was deleted, or is not in it. */
  status: z.enum(['anchored', 'deleted', 'absent']),
  /** 1-based, inclusive; null when `absent`. */
  lines: z.strictObject({ start: z.number().int(), end: z.number().int() }).nullable(),
  /** The commented code in the final code, or what was selected when it is gone. */
  code: z.string(),
  resolved: z.boolean(),
})
export type ReportComment = z.infer<typeof ReportComment>

export const InterviewReport = z.strictObject({
  /** ISO 8601: when this report was made (a live interview's report changes). */
  generatedAt: z.string(),
  interview: Interview,
  /** ISO 8601; null while the interview is live. */
  endedAt: z.string().nullable(),
  challenge: z.strictObject({
    slug: z.string(),
    title: z.string(),
    /** The content hash the interview is pinned to; null for one not pinned yet. */
    version: z.string().nullable(),
  }),
  people: z.array(ReportPerson),
  summary: ReportSummary,
  /** Every file of the code document as it stands now (one per language the room was in). */
  finalCode: z.array(ReportFile),
  /** Oldest first. */
  runs: z.array(ReportRun),
  /** The interviewers' shared notes (Markdown), as they stand now. */
  notes: z.string(),
  /** Oldest first. */
  comments: z.array(ReportComment),
  /** Every integrity signal, oldest first (what interviewers saw live in the room). */
  signals: z.array(Signal),
  /**
   * The scorecards as the interviewer asking may see them: their own, and the others' only once
   * their own is submitted (protocol/scorecards.ts). The evidence is beside them: notes, comments,
   * runs.
   */
  scorecards: Scorecards,
  /** Whether report.pdf can be made on this server, and why not when it cannot. */
  pdf: z.strictObject({ available: z.boolean(), reason: z.string().optional() }),
})
export type InterviewReport = z.infer<typeof InterviewReport>
