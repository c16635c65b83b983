/**
 * The run channel: what a run is, the events it streams, and the job the server hands the
 * runner. Every run streams ordered events (rising `seq`) that end in exactly one `exit`.
 *
 *   queued → stage(preparing) → [stage(compiling)] → stage(running) → test × N → exit
 *
 * A run that fails before its tests (compile error, internal error) goes straight to `exit`; a
 * cancelled one goes to `exit` from wherever it was.
 *
 * The stream has two forms that differ in one member: what a runner emits (`RunnerEvent`, whose
 * `queued` carries only the position) and what the room receives (`RunEvent`: the server puts the
 * `RunInfo` into `queued` and adds `runId` and `seq` to every event).
 */
import { z } from 'zod'
import { Problem, TestInput } from './challenge.ts'
import { LanguageId, LanguageLimits } from './languages.ts'
import { Participant } from './people.ts'
import { TestVerdict, Verdict, verdictLabel, worstVerdict } from './verdicts.ts'

const runId = z.string().min(1).max(200)

/**
 * The longest text each field of a run's results may carry, characters. Everything in a result
 * comes from candidate code (or is about it), and the server must never parse an unbounded
 * message from the process that ran it: the sandbox clips every event to these (`clipRunnerEvent`)
 * before it sends it, and the schemas refuse longer. The engines cut well below (4 000 for
 * values, 64 KiB of console per test), so the caps only bite a bug or a compromised sandbox.
 */
export const runTextCaps = {
  /** Test ids and names (challenge files). */
  label: 1_000,
  /** Display forms (input, expected, actual, mismatch), a summary's message, an error message. */
  display: 16_000,
  /** Console output and stack traces. */
  console: 256 * 1024,
  /** Compiler diagnostics. */
  compileOutput: 1024 * 1024,
} as const

const text = (max: number) => z.string().max(max)
const label = text(runTextCaps.label)
const display = text(runTextCaps.display)
const consoleText = text(runTextCaps.console)

export const RunMode = z.enum(['tests', 'custom'])
export type RunMode = z.infer<typeof RunMode>

export const RunStage = z.enum(['preparing', 'compiling', 'running'])
export type RunStage = z.infer<typeof RunStage>

/** One test's outcome. Candidates receive hidden tests reduced to `redactHiddenResult`'s shape. */
export const TestResult = z.strictObject({
  testId: label,
  /** 0-based position in the run. */
  index: z.number().int().nonnegative(),
  name: label,
  hidden: z.boolean(),
  verdict: TestVerdict,
  /** Wall time of this test inside the sandbox, ms; null when it did not run or is redacted. */
  durationMs: z.number().nonnegative().nullable(),
  /** Display form of the input: `nums = [2,7], target = 9`, or the stdin text. */
  input: display.optional(),
  /** Display form of the expected value (JSON) or stdout. Absent for custom runs. */
  expected: display.optional(),
  /** Display form of what the candidate's code returned or printed. */
  actual: display.optional(),
  /** The judge's note on the first difference, e.g. `at [3]: expected 5, got 4`. */
  mismatch: display.optional(),
  /** Console output (stdout and stderr, interleaved) printed while this test ran, capped. */
  stdout: consoleText.optional(),
  /** Runtime error with a stack trace whose line numbers point into the candidate's file. */
  error: z.strictObject({ message: display, stack: consoleText.optional() }).optional(),
})
export type TestResult = z.infer<typeof TestResult>

export const RunSummary = z.strictObject({
  verdict: Verdict,
  passed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Wall time from the start of preparation to the end, ms. */
  durationMs: z.number().nonnegative(),
  /** Compiler diagnostics (errors, or warnings on success), in the candidate's line numbers. */
  compileOutput: text(runTextCaps.compileOutput).optional(),
  /** Human sentence shown above the results, e.g. "Time limit exceeded on test 3". */
  message: display,
  /**
   * Console output printed outside any test (before the first, between two, after the last),
   * capped, by the process that ran the visible tests. It belongs to no test.
   */
  outsideOutput: consoleText.optional(),
  /** The same from the process that ran the hidden tests: interviewers only, never candidates. */
  hiddenOutsideOutput: consoleText.optional(),
})
export type RunSummary = z.infer<typeof RunSummary>

/** What everyone in the room learns about a run when it is queued. */
export const RunInfo = z.strictObject({
  runId,
  interviewId: z.string(),
  language: LanguageId,
  mode: RunMode,
  requestedBy: Participant,
  /** ISO 8601. */
  createdAt: z.string(),
  tests: z.array(z.strictObject({ id: z.string(), name: z.string(), hidden: z.boolean() })),
  limits: LanguageLimits,
  /**
   * Set on a replay run ("Run at this point", protocol/replay.ts): the moment whose code it ran
   * (Unix ms) and the last stored update that code included, so the code can be rebuilt exactly.
   * Replay runs are the interviewers' own: candidates never see them.
   */
  replay: z
    .strictObject({
      at: z.number().int().nonnegative(),
      uptoUpdateId: z.number().int().nonnegative(),
    })
    .optional(),
})
export type RunInfo = z.infer<typeof RunInfo>

// The members both forms of the stream share.
const StageEvent = z.strictObject({ type: z.literal('stage'), stage: RunStage })
const TestEvent = z.strictObject({ type: z.literal('test'), result: TestResult })
const ExitEvent = z.strictObject({ type: z.literal('exit'), summary: RunSummary })
const position = z.number().int().nonnegative()

/** What a runner streams for one job: `queued` says only where it stands (0: starting now). */
export const RunnerEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('queued'), position }),
  StageEvent,
  TestEvent,
  ExitEvent,
])
export type RunnerEvent = z.infer<typeof RunnerEvent>

/** `text` cut to its first `max` characters, saying how many more there were (display forms). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`
}

/** Room clip's note takes: `… (N more characters)` for any N a string can have. */
const clipNoteChars = 40

/** `text` cut, note included, to at most `max` characters: what fits a schema's cap. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : clip(text, Math.max(0, max - clipNoteChars))
}

const clipOptional = (value: string | undefined, max: number): string | undefined =>
  value === undefined ? undefined : clipText(value, max)

function clipResult(result: TestResult): TestResult {
  const clipped: TestResult = {
    ...result,
    testId: clipText(result.testId, runTextCaps.label),
    name: clipText(result.name, runTextCaps.label),
  }
  for (const key of ['input', 'expected', 'actual', 'mismatch'] as const) {
    const value = clipOptional(result[key], runTextCaps.display)
    if (value !== undefined) clipped[key] = value
  }
  const stdout = clipOptional(result.stdout, runTextCaps.console)
  if (stdout !== undefined) clipped.stdout = stdout
  if (result.error !== undefined) {
    const stack = clipOptional(result.error.stack, runTextCaps.console)
    clipped.error = {
      message: clipText(result.error.message, runTextCaps.display),
      ...(stack === undefined ? {} : { stack }),
    }
  }
  return clipped
}

function clipSummary(summary: RunSummary): RunSummary {
  const clipped: RunSummary = {
    ...summary,
    message: clipText(summary.message, runTextCaps.display),
  }
  const compileOutput = clipOptional(summary.compileOutput, runTextCaps.compileOutput)
  if (compileOutput !== undefined) clipped.compileOutput = compileOutput
  for (const key of ['outsideOutput', 'hiddenOutsideOutput'] as const) {
    const value = clipOptional(summary[key], runTextCaps.console)
    if (value !== undefined) clipped[key] = value
  }
  return clipped
}

/** The event with every text within `runTextCaps`: what the sandbox sends, whatever it was given. */
export function clipRunnerEvent(event: RunnerEvent): RunnerEvent {
  switch (event.type) {
    case 'test':
      return { type: 'test', result: clipResult(event.result) }
    case 'exit':
      return { type: 'exit', summary: clipSummary(event.summary) }
    case 'queued':
    case 'stage':
      return event
  }
}

const RoomQueuedEvent = z.strictObject({ type: z.literal('queued'), run: RunInfo, position })

/** What the room receives, before `runId` and `seq`: `queued` also carries the run's RunInfo. */
export const RunEventBody = z.discriminatedUnion('type', [
  RoomQueuedEvent,
  StageEvent,
  TestEvent,
  ExitEvent,
])
export type RunEventBody = z.infer<typeof RunEventBody>

const sequenced = { runId, seq: z.number().int().nonnegative() }

/** One event of a run as every browser in the room receives it (`run:event`, `run:history`). */
export const RunEvent = z.discriminatedUnion('type', [
  RoomQueuedEvent.extend(sequenced),
  StageEvent.extend(sequenced),
  TestEvent.extend(sequenced),
  ExitEvent.extend(sequenced),
])
export type RunEvent = z.infer<typeof RunEvent>

/** One test as the runner receives it. `expected` never enters the sandbox box or isolate. */
export const JobTest = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  hidden: z.boolean(),
  input: TestInput,
  /** JSON value (function style) or stdout text (stdio style); null in custom runs. */
  expected: z.unknown(),
})
export type JobTest = z.infer<typeof JobTest>

/**
 * The rules for the paths of a run's files, checked by the server when it builds a job and again
 * by the runner when it parses one: relative, `/`-separated, each segment of letters, digits,
 * `_`, `-` and `.` not starting with a dot (so no `.`, `..` or hidden files), at most `maxDepth`
 * segments and `maxLength` characters.
 */
export const jobFileRules = { maxFiles: 64, maxDepth: 8, maxLength: 200 } as const
const jobFileSegment = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/

/** Why `path` is not a path a run may carry, or null when it is one. */
export function jobPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > jobFileRules.maxLength) {
    return `a path has 1 to ${jobFileRules.maxLength} characters`
  }
  const segments = path.split('/')
  if (segments.length > jobFileRules.maxDepth) {
    return `a path is at most ${jobFileRules.maxDepth} folders deep`
  }
  if (!segments.every((segment) => jobFileSegment.test(segment))) {
    return 'a path is relative, with names of letters, digits, "_", "-" and "." that do not start with a dot'
  }
  return null
}

export const JobFile = z.strictObject({
  path: z.string().superRefine((path, context) => {
    const problem = jobPathProblem(path)
    if (problem !== null) context.addIssue({ code: 'custom', message: problem })
  }),
  content: z.string(),
})
export type JobFile = z.infer<typeof JobFile>

/** A job's fields without the checks across them (what a wire form of the job extends). */
export const RunJobFields = z.strictObject({
  runId,
  language: LanguageId,
  mode: RunMode,
  /**
   * The candidate's file tree: the entry and the files beside it, each at its path in the
   * interview's document. Engines place the tree with the entry's folder as its root (the box's
   * `/box`, the isolate's module root); a file outside that folder is refused.
   */
  files: z.array(JobFile).min(1).max(jobFileRules.maxFiles),
  /** Path (within `files`) of the file holding the solution. */
  entry: z.string().min(1),
  problem: Problem,
  tests: z.array(JobTest),
  limits: LanguageLimits,
})

/** The checks across a job's files: unique paths, the entry among them, all inside its folder. */
export function checkJobTree(
  job: { files: readonly JobFile[]; entry: string },
  context: z.RefinementCtx,
): void {
  const paths = new Set(job.files.map((file) => file.path))
  if (paths.size !== job.files.length) {
    context.addIssue({ code: 'custom', path: ['files'], message: 'two files have one path' })
  }
  if (!paths.has(job.entry)) {
    context.addIssue({ code: 'custom', path: ['entry'], message: 'the entry is not a file' })
  }
  const root = folderOf(job.entry)
  for (const file of job.files) {
    if (root !== '' && !file.path.startsWith(`${root}/`)) {
      context.addIssue({
        code: 'custom',
        path: ['files'],
        message: `${file.path} is outside the entry's folder ${root}`,
      })
    }
  }
}

/** Everything the runner needs for one run; plain data, so it can cross a process or a queue. */
export const RunJob = RunJobFields.superRefine(checkJobTree)
export type RunJob = z.infer<typeof RunJob>

/** The folder of a path (`''` at the root). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? '' : path.slice(0, slash)
}

/**
 * The job's files other than the entry, with paths relative to the entry's folder: what an
 * engine places beside the solution. In the job's order.
 */
export function filesBesideEntry(job: Pick<RunJob, 'files' | 'entry'>): JobFile[] {
  const root = folderOf(job.entry)
  const prefix = root === '' ? '' : `${root}/`
  return job.files
    .filter((file) => file.path !== job.entry && file.path.startsWith(prefix))
    .map((file) => ({ path: file.path.slice(prefix.length), content: file.content }))
}

/** Bytes of every file of the job together: what `limits.sourceBytes` caps. */
export function jobSourceBytes(job: Pick<RunJob, 'files'>): number {
  let bytes = 0
  for (const file of job.files) bytes += new TextEncoder().encode(file.content).length
  return bytes
}

/**
 * Why a run was stopped before it ended by itself: a person cancelled it (verdict `cancelled`),
 * or the server is shutting down (`internal_error`, saying so). Aborting a run's signal with
 * `'shutdown'` as the reason means the second; any other abort means the first.
 */
export const StopReason = z.enum(['cancelled', 'shutdown'])
export type StopReason = z.infer<typeof StopReason>

/** The stop reason an AbortSignal's `reason` stands for (see StopReason). */
export function stopReasonOf(reason: unknown): StopReason {
  return reason === 'shutdown' ? 'shutdown' : 'cancelled'
}

/** The sentence every internal error ends with: whatever failed, it was not the candidate's code. */
export const internalErrorAdvice = 'This is not a problem with the code; run it again.'

/** `cause` (what failed, one clause) and the advice, in the one wording every engine uses. */
export function internalErrorMessage(cause: string): string {
  return `${cause.trim().replace(/[.;:,\s]+$/, '')}. ${internalErrorAdvice}`
}

/**
 * The summary of a run that failed for a reason outside the candidate's code (the sandbox, the
 * server). Every builder of such a summary calls this, so the words never blame the candidate.
 */
export function internalErrorSummary(total: number, cause: string, durationMs = 0): RunSummary {
  return {
    verdict: 'internal_error',
    passed: 0,
    total,
    durationMs,
    message: internalErrorMessage(cause),
  }
}

/** What a cancelled run (and the test it stopped) says, wherever it was cancelled. */
export const cancelledMessage = 'The run was cancelled.'

/** The summary of a run somebody cancelled; `passed` counts the tests that passed before it. */
export function cancelledSummary(total: number, passed = 0, durationMs = 0): RunSummary {
  return { verdict: 'cancelled', passed, total, durationMs, message: cancelledMessage }
}

/** The candidate's view of a hidden test: its position and whether it passed, nothing else. */
export function redactHiddenResult(result: TestResult): TestResult {
  if (!result.hidden) return result
  return {
    testId: result.testId,
    index: result.index,
    name: hiddenTestName(result.index),
    hidden: true,
    verdict: redactedVerdict(result.verdict),
    durationMs: null,
  }
}

/**
 * Pass, fail, not run, cancelled, or the server's fault: a hidden test's verdict says no more than
 * that, so nobody learns from a timeout that a hidden input is large. A cancel is a person's act,
 * and an internal error the server's (busy, restarted), not the code's: shown as "Failed" they
 * would blame the candidate for the server.
 */
function redactedVerdict(verdict: TestVerdict): TestVerdict {
  return verdict === 'passed' ||
    verdict === 'skipped' ||
    verdict === 'cancelled' ||
    verdict === 'internal_error'
    ? verdict
    : 'failed'
}

/**
 * The candidate's view of a run's summary: without the hidden tests' outside output, and with a
 * verdict and message the candidate was told. The summary names its worst test; when that is a
 * hidden one, its class (a crash, a timeout, even "Wrong answer") is what `redactHiddenResult`
 * hides, so verdict and message are recomputed from the results as the candidate sees them:
 * "Failed on test 4 (hidden) (5 of 6 tests passed)".
 */
export function redactSummary(summary: RunSummary, results: readonly TestResult[]): RunSummary {
  const { hiddenOutsideOutput: _hidden, ...told } = summary
  // The server's own words about its fault (too busy, restarted) name nothing of a test.
  if (summary.verdict === 'internal_error') return told
  // A verdict no test carries (compile error, internal error before the tests) is the run's.
  const named = results.find((r) => r.verdict === summary.verdict)
  if (named === undefined || !named.hidden) return told
  const shown = results.map(redactHiddenResult)
  const verdict = worstVerdict(shown.map((r) => r.verdict))
  const culprit = shown.find((r) => r.verdict === verdict)
  if (culprit === undefined) return told
  const where = ` on test ${culprit.index + 1}${culprit.hidden ? ' (hidden)' : ''}`
  const { passed, total } = summary
  const tally = `${passed} of ${total} test${total === 1 ? '' : 's'} passed`
  return {
    ...told,
    verdict,
    message: `${verdictLabel(verdict, culprit.hidden)}${where} (${tally})`,
  }
}

export function hiddenTestName(index: number): string {
  return `Hidden test ${index + 1}`
}
