/**
 * Runs, from the Run button to the last event: reads the code from the server's own copy of the
 * document (never from the click, so everyone sees results for the same source), builds the job,
 * streams the runner's events to the room with a rising seq, and stores them.
 *
 * One run at a time per interview: a second `run:start` while one is in flight is refused with
 * `run_in_progress` (everyone in the room is watching one result stream; superseding it would
 * yank results from under the other person). The run ends with exactly one `exit`.
 *
 * Anyone who may run in the room may also cancel its run in flight (`cancel`): the run exits
 * `cancelled`, and the exit says who cancelled it. A server shutdown stops runs too, but that is
 * nobody's decision: they exit `internal_error`, saying the server is shutting down.
 */
import { solutionPath } from '../../protocol/collab.ts'
import {
  effectiveLimits,
  languageFacts,
  LanguageIds,
  type LanguageId,
  type LanguageInfo,
} from '../../protocol/languages.ts'
import type { Participant } from '../../protocol/people.ts'
import {
  folderOf,
  hiddenTestName,
  internalErrorSummary,
  jobFileRules,
  jobPathProblem,
  redactHiddenResult,
  redactSummary,
  type JobFile,
  type JobTest,
  type RunEvent,
  type RunEventBody,
  type RunInfo,
  type RunJob,
  type RunnerEvent,
  type StopReason,
} from '../../protocol/run.ts'
import type { RunStartPayload } from '../../protocol/realtime.ts'
import { customInput } from '../challenges/kinds/index.ts'
import type { Logger } from '../logger.ts'
import type { ChallengeCatalog } from '../challenges/ChallengeCatalog.ts'
import { TandemError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { AccessGate } from '../access/AccessGate.ts'
import type { DocAccess } from '../interviews/DocAccess.ts'
import type { InterviewRecord, ParticipantRecord, Store } from '../store/Store.ts'

/** What the run service needs of a runner (server/runner/Runner.ts implements it). */
export interface RunExecutor {
  run(job: RunJob, signal?: AbortSignal): AsyncIterable<RunnerEvent>
}

/** Where run events go: every interviewer gets the full event, every candidate the redacted one. */
export interface RunBroadcaster {
  publish(interviewId: string, full: RunEvent, forCandidates: RunEvent): void
  /** A replay run's event: to the interview's interviewers, and nobody else. */
  publishToInterviewers(interviewId: string, event: RunEvent): void
}

/** What a replay run runs: the code document as it stood at `at` (server/replay/). */
export interface ReplayRunRequest {
  interview: InterviewRecord
  requestedBy: Participant
  /** The moment whose code runs, Unix ms. */
  at: number
  /** The room's language at `at`. */
  language: LanguageId
  /** Every file of the code document at `at`. */
  files: readonly JobFile[]
  /** The last stored update those files include. */
  uptoUpdateId: number
}

export interface RunServiceOptions {
  store: Store
  /** Who may run and cancel (server/access/). */
  access: AccessGate
  catalog: ChallengeCatalog
  docs: DocAccess
  runner: RunExecutor
  languages: () => LanguageInfo[]
  broadcaster: RunBroadcaster
  logger?: Logger | undefined
  /**
   * Interviews whose latest run's events are kept in memory for joiners; the least recently used
   * beyond this are read from the store again when someone joins. Default 200 (about 12 KB each).
   */
  latestRunsCached?: number
  /** The clock a run's `createdAt` is stamped with, Unix ms. Default `Date.now` (tests inject one). */
  now?: () => number
}

const defaultLatestRunsCached = 200

interface ActiveRun {
  info: RunInfo
  events: RunEvent[]
  abort: AbortController
  done: Promise<void>
  /** Who cancelled it, once somebody has: the exit names them. */
  cancelledBy?: string
}

export class RunService {
  readonly #o: RunServiceOptions
  readonly #active = new Map<string, ActiveRun>()
  /**
   * Replay runs in flight, one per interview, apart from the room's own: a replay run never
   * blocks the candidate's next run, and never becomes the room's latest run.
   */
  readonly #replays = new Map<string, ActiveRun>()
  /**
   * The latest finished run's events per interview, for late joiners, least recently used first.
   * Bounded: it used to keep every interview that ever ran, a slow leak of ~12 KB per interview
   * (issue 14 A.9). The store has them all, so an evicted interview costs one read on join.
   */
  readonly #latest = new Map<string, RunEvent[]>()

  constructor(options: RunServiceOptions) {
    this.#o = options
  }

  /** How many interviews' latest runs are held in memory (for the leak test). */
  get cachedLatestRuns(): number {
    return this.#latest.size
  }

  activeRun(interviewId: string): RunInfo | null {
    return this.#active.get(interviewId)?.info ?? null
  }

  /** Events of the run in flight, or else the latest run, as `role` may see them. */
  async history(interviewId: string, role: ParticipantRecord['role']): Promise<RunEvent[]> {
    let events = this.#active.get(interviewId)?.events ?? this.#latest.get(interviewId)
    if (events === undefined) {
      const [latest] = await this.#o.store.runs.listForInterview(interviewId, 1)
      events = latest === undefined ? [] : await this.#o.store.runs.events(latest.info.runId)
      // A run that finished during the read is newer than what was read: keep that one.
      if (!this.#latest.has(interviewId)) this.#remember(interviewId, events)
    } else if (!this.#active.has(interviewId)) {
      this.#remember(interviewId, events)
    }
    return role === 'interviewer'
      ? events
      : events.map((event) => redactForCandidate(event, events))
  }

  /** Starts a run and answers its id at once; events follow through the broadcaster. */
  async start(participant: ParticipantRecord, payload: RunStartPayload): Promise<string> {
    const { interviewId } = participant
    // Read now, not at the handshake: the interview may have ended, or its runs been turned off.
    const { interview } = await this.#o.access.checkParticipant(participant, 'run')
    if (this.#active.has(interviewId)) {
      throw new TandemError(
        'run_in_progress',
        'A run is already in progress in this room. Wait for it to finish.',
      )
    }
    const language = this.#o.languages().find((l) => l.id === interview.language)
    if (language?.available !== true) {
      throw new TandemError(
        'language_unavailable',
        `${interview.language} is unavailable on this server.`,
      )
    }
    // The version the interview started with, whatever the challenge's files say today.
    const challenge = await this.#o.catalog.pinned(
      interview.challengeSlug,
      interview.challengeVersion,
    )
    const tests =
      payload.mode === 'tests' ? challenge.tests : [customTest(challenge.problem, payload)]

    // Re-check after the awaits above: two clicks can race past the first check.
    if (this.#active.has(interviewId)) {
      throw new TandemError(
        'run_in_progress',
        'A run is already in progress in this room. Wait for it to finish.',
      )
    }
    const runId = newId()
    const info: RunInfo = {
      runId,
      interviewId,
      language: language.id,
      mode: payload.mode,
      requestedBy: {
        participantId: participant.id,
        name: participant.name,
        role: participant.role,
      },
      createdAt: new Date((this.#o.now ?? Date.now)()).toISOString(),
      tests: tests.map(({ id, name, hidden }) => ({ id, name, hidden })),
      limits: effectiveLimits(language, challenge),
    }
    const active: ActiveRun = {
      info,
      events: [],
      abort: new AbortController(),
      done: Promise.resolve(),
    }
    this.#active.set(interviewId, active)
    try {
      const path = solutionPath(challenge.slug, language.id)
      const files = runFiles(
        path,
        await this.#o.docs.readFolder(interviewId, folderOf(path), payload.after),
      )
      await this.#o.store.runs.create(info)
      const job: RunJob = {
        runId,
        language: language.id,
        mode: payload.mode,
        files,
        entry: path,
        problem: challenge.problem,
        tests,
        limits: info.limits,
      }
      active.done = this.#stream(active, job)
    } catch (error) {
      this.#active.delete(interviewId)
      throw error
    }
    return runId
  }

  /**
   * Runs the challenge's tests on the code as it stood at a moment ("Run at this point"). The run
   * is stored marked as a replay (`info.replay`) and its events go to interviewers only. The
   * caller has checked that the asker may (access action `replayRun`). One at a time per
   * interview: `run_in_progress` while the last is in flight.
   */
  async startReplay(request: ReplayRunRequest): Promise<string> {
    const { interview } = request
    if (this.#replays.has(interview.id)) {
      throw new TandemError(
        'run_in_progress',
        'A replay run is already in progress for this interview. Wait for it to finish.',
      )
    }
    const language = this.#o.languages().find((l) => l.id === request.language)
    if (language?.available !== true) {
      throw new TandemError(
        'language_unavailable',
        `${request.language} is unavailable on this server.`,
      )
    }
    const challenge = await this.#o.catalog.pinned(
      interview.challengeSlug,
      interview.challengeVersion,
    )
    if (this.#replays.has(interview.id)) {
      throw new TandemError(
        'run_in_progress',
        'A replay run is already in progress for this interview. Wait for it to finish.',
      )
    }
    const runId = newId()
    const info: RunInfo = {
      runId,
      interviewId: interview.id,
      language: language.id,
      mode: 'tests',
      requestedBy: request.requestedBy,
      createdAt: new Date((this.#o.now ?? Date.now)()).toISOString(),
      tests: challenge.tests.map(({ id, name, hidden }) => ({ id, name, hidden })),
      limits: effectiveLimits(language, challenge),
      replay: { at: request.at, uptoUpdateId: request.uptoUpdateId },
    }
    const active: ActiveRun = {
      info,
      events: [],
      abort: new AbortController(),
      done: Promise.resolve(),
    }
    this.#replays.set(interview.id, active)
    try {
      const path = solutionPath(challenge.slug, language.id)
      const files = runFiles(
        path,
        request.files.filter((file) => file.path.startsWith(`${folderOf(path)}/`)),
      )
      await this.#o.store.runs.create(info)
      active.done = this.#stream(active, {
        runId,
        language: language.id,
        mode: 'tests',
        files,
        entry: path,
        problem: challenge.problem,
        tests: challenge.tests,
        limits: info.limits,
      })
    } catch (error) {
      this.#replays.delete(interview.id)
      throw error
    }
    return runId
  }

  /**
   * Cancels the room's run in flight, queued or running, for whoever may run in the room; its
   * one exit (verdict `cancelled`) follows through the broadcaster. Cancelling it again while
   * that exit is on its way changes nothing. `not_found` when `runId` is not this room's run in
   * flight: another room's run, or one that has just finished.
   */
  async cancel(participant: ParticipantRecord, runId: string): Promise<void> {
    await this.#o.access.checkParticipant(participant, 'cancel')
    const active = this.#active.get(participant.interviewId)
    if (active?.info.runId !== runId) {
      throw new TandemError('not_found', 'That run is not in flight in this room.')
    }
    if (active.abort.signal.aborted) return
    active.cancelledBy = participant.name
    active.abort.abort('cancelled' satisfies StopReason)
  }

  /** Stops runs in flight and waits for their exits (server shutdown: they exit internal_error). */
  async close(): Promise<void> {
    const runs = [...this.#active.values(), ...this.#replays.values()]
    for (const run of runs) run.abort.abort('shutdown' satisfies StopReason)
    await Promise.all(runs.map((run) => run.done))
  }

  async #stream(active: ActiveRun, job: RunJob): Promise<void> {
    let exited = false
    try {
      for await (const event of this.#o.runner.run(job, active.abort.signal)) {
        if (exited) break
        this.#emit(active, toBody(event, active))
        if (event.type === 'exit') exited = true
      }
    } catch (error) {
      this.#o.logger?.error({ err: error, runId: job.runId }, 'runner failed')
    }
    // Exactly one exit, whatever the runner did.
    if (!exited) {
      this.#emit(active, {
        type: 'exit',
        summary: internalErrorSummary(
          job.tests.length,
          'The sandbox failed while running this code',
        ),
      })
    }
    const exit = active.events.at(-1)
    try {
      await this.#o.store.runs.appendEvents(job.runId, active.events)
      if (exit?.type === 'exit')
        await this.#o.store.runs.finish(job.runId, exit.summary, exit.summary.verdict)
    } catch (error) {
      this.#o.logger?.error({ err: error, runId: job.runId }, 'storing run events failed')
    }
    if (active.info.replay !== undefined) {
      this.#replays.delete(active.info.interviewId)
      return
    }
    this.#remember(active.info.interviewId, active.events)
    this.#active.delete(active.info.interviewId)
  }

  /** Keeps `events` as the interview's latest run, most recently used, evicting the oldest. */
  #remember(interviewId: string, events: RunEvent[]): void {
    this.#latest.delete(interviewId)
    this.#latest.set(interviewId, events)
    const cap = this.#o.latestRunsCached ?? defaultLatestRunsCached
    for (const oldest of this.#latest.keys()) {
      if (this.#latest.size <= cap) break
      this.#latest.delete(oldest)
    }
  }

  #emit(active: ActiveRun, body: RunEventBody): void {
    const event = { runId: active.info.runId, seq: active.events.length, ...body }
    active.events.push(event)
    if (active.info.replay !== undefined) {
      this.#o.broadcaster.publishToInterviewers(active.info.interviewId, event)
      return
    }
    this.#o.broadcaster.publish(
      active.info.interviewId,
      event,
      redactForCandidate(event, active.events),
    )
  }
}

/** The room's form of a runner event: `queued` carries the RunInfo, a cancel's exit says who. */
function toBody(event: RunnerEvent, active: ActiveRun): RunEventBody {
  if (event.type === 'queued') return { type: 'queued', run: active.info, position: event.position }
  if (
    event.type === 'exit' &&
    event.summary.verdict === 'cancelled' &&
    active.cancelledBy !== undefined
  ) {
    return {
      ...event,
      summary: { ...event.summary, message: `Cancelled by ${active.cancelledBy}.` },
    }
  }
  return event
}

/**
 * Candidates see hidden tests as pass/fail only, and not even their names; `run` is the run's
 * events so far, from which the exit's summary learns which verdicts the candidate was told.
 */
export function redactForCandidate(event: RunEvent, run: readonly RunEvent[] = []): RunEvent {
  switch (event.type) {
    case 'test':
      return event.result.hidden ? { ...event, result: redactHiddenResult(event.result) } : event
    case 'queued':
      return {
        ...event,
        run: {
          ...event.run,
          tests: event.run.tests.map((t, i) => (t.hidden ? { ...t, name: hiddenTestName(i) } : t)),
        },
      }
    case 'exit': {
      const results = run.flatMap((e) => (e.type === 'test' ? [e.result] : []))
      return { ...event, summary: redactSummary(event.summary, results) }
    }
    case 'stage':
      return event
  }
}

/** The one test of a custom run, its input checked the way the challenge's kind checks it. */
function customTest(
  problem: RunJob['problem'],
  payload: Extract<RunStartPayload, { mode: 'custom' }>,
): JobTest {
  return {
    id: 'custom',
    name: 'Custom input',
    hidden: false,
    expected: null,
    input: customInput(problem, payload),
  }
}

/**
 * The files a run takes from the solution's folder: the solution first (empty when it is not
 * there yet), then every other file but the other languages' solutions, which belong to no run
 * of this language. Files whose paths a run may not carry (RunJob's rules) stay out.
 */
export function runFiles(entry: string, folder: readonly JobFile[]): JobFile[] {
  const otherSolutions = new Set(
    LanguageIds.map((id) => `${folderOf(entry)}/solution.${languageFacts[id].extension}`),
  )
  const solution = folder.find((file) => file.path === entry)
  const others = folder.filter(
    (file) =>
      file.path !== entry && !otherSolutions.has(file.path) && jobPathProblem(file.path) === null,
  )
  return [{ path: entry, content: solution?.content ?? '' }, ...others].slice(
    0,
    jobFileRules.maxFiles,
  )
}
