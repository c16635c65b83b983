/**
 * Replay (issue 9.6): the session as a timeline, the code as it stood at any moment, and runs of
 * that code. Reads only the store (after flushing what the rooms still buffer): the documents'
 * update logs with their authors and times, the checkpoints replay seeks from, the timeline
 * events (joins, leaves, language switches) and the runs. Interviewers only; the routes check.
 *
 * The code at T is rebuilt by `store.docs.docAt`: the nearest checkpoint at or before T, then the
 * updates received after it up to T, never the whole session.
 */
import * as Y from 'yjs'
import { docFilesKey, DocNames, solutionPath, type DocRef } from '../../protocol/collab.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { Participant } from '../../protocol/people.ts'
import {
  editBurstGapMs,
  type AuthorSpan,
  type CodeAt,
  type EditAuthor,
  type TimelineEntry,
} from '../../protocol/replay.ts'
import type { DocAccess } from '../interviews/DocAccess.ts'
import { docOf } from '../report/storedFiles.ts'
import type { RunService } from '../runs/RunService.ts'
import type {
  DocAuthor,
  DocUpdateRecord,
  InterviewRecord,
  Store,
  TimelineEventRecord,
} from '../store/Store.ts'

export interface ReplayServiceOptions {
  store: Store
  /** To write what the rooms hold but the store does not yet. */
  docs: Pick<DocAccess, 'flush'>
  runs: Pick<RunService, 'startReplay'>
  /** Interviews whose Yjs client → author map is kept between seeks. Default 50. */
  authorsCached?: number
}

/** Runs beyond this many are left off the timeline (the newest are kept). */
const maxRuns = 1_000

/** Which author wrote each Yjs client's items, as far as the log has been read. */
interface ClientAuthors {
  clients: Map<number, DocAuthor>
  /** The latest update time read into `clients`: seeks up to here need no new read. */
  coveredAt: number
}

export class ReplayService {
  readonly #o: ReplayServiceOptions
  /** Per interview, least recently used first. */
  readonly #authors = new Map<string, ClientAuthors>()

  constructor(options: ReplayServiceOptions) {
    this.#o = options
  }

  /** Everything that happened, ordered by `at` (ties keep the order below: edits first). */
  async timeline(interview: InterviewRecord): Promise<TimelineEntry[]> {
    const { store } = this.#o
    await this.#o.docs.flush(interview.id)
    const [logs, events, runs] = await Promise.all([
      Promise.all(DocNames.map((doc) => store.docs.timeline({ interviewId: interview.id, doc }))),
      store.events.list(interview.id),
      store.runs.listForInterview(interview.id, maxRuns, { replays: true }),
    ])
    const entries: TimelineEntry[] = []
    DocNames.forEach((doc, i) => entries.push(...editBursts(doc, logs[i] ?? [])))
    // Oldest first, so runs asked for at the same moment keep their order.
    for (const { info, summary } of runs.reverse()) {
      entries.push({
        kind: 'run',
        at: Date.parse(info.createdAt),
        runId: info.runId,
        participantId: info.requestedBy.participantId,
        role: info.requestedBy.role,
        mode: info.mode,
        language: info.language,
        verdict: summary?.verdict ?? null,
        passed: summary?.passed ?? 0,
        total: summary?.total ?? info.tests.length,
        ...(info.replay === undefined ? {} : { replayOf: info.replay.at }),
      })
    }
    for (const { at, event } of events) entries.push({ at, ...event })
    // A stable sort: the same moment keeps edits, then runs, then events.
    return entries.sort((a, b) => a.at - b.at)
  }

  /** The code document as it stood at `at` (Unix ms), each file cut into who typed what. */
  async codeAt(interview: InterviewRecord, at: number): Promise<CodeAt> {
    const { store } = this.#o
    await this.#o.docs.flush(interview.id)
    const ref: DocRef = { interviewId: interview.id, doc: 'code' }
    const [stored, events, authors] = await Promise.all([
      store.docs.docAt(ref, at),
      store.events.list(interview.id),
      this.#clientAuthors(ref, at),
    ])
    const doc = docOf(stored)
    try {
      const files = [...doc.getMap<Y.Text>(docFilesKey).entries()]
        .map(([path, text]) => ({
          path,
          content: text.toJSON(),
          spans: spansOf(text, authors.clients),
        }))
        .sort((a, b) => a.path.localeCompare(b.path))
      const language = languageAt(interview, events, at)
      return {
        at,
        language,
        activeFile: solutionPath(interview.challengeSlug, language),
        files,
        uptoUpdateId: stored.lastUpdateId,
      }
    } finally {
      doc.destroy()
    }
  }

  /** "Run at this point": the challenge's tests on the code at `at`, for interviewers only. */
  async replayRun(
    interview: InterviewRecord,
    requestedBy: Participant,
    at: number,
  ): Promise<{ runId: string }> {
    const code = await this.codeAt(interview, at)
    const runId = await this.#o.runs.startReplay({
      interview,
      requestedBy,
      at,
      language: code.language,
      files: code.files.map(({ path, content }) => ({ path, content })),
      uptoUpdateId: code.uptoUpdateId,
    })
    return { runId }
  }

  /**
   * Yjs client id → author, read from the update log up to at least `at`. Kept per interview: a
   * scrubber seeks many times, and only a seek past what was read reads the log again.
   */
  async #clientAuthors(ref: DocRef, at: number): Promise<ClientAuthors> {
    const cached = this.#authors.get(ref.interviewId)
    if (cached !== undefined && at <= cached.coveredAt) {
      this.#authors.delete(ref.interviewId)
      this.#authors.set(ref.interviewId, cached)
      return cached
    }
    const rows = await this.#o.store.docs.timeline(ref)
    const authors: ClientAuthors = { clients: new Map(), coveredAt: rows.at(-1)?.at ?? 0 }
    for (const row of rows) {
      // The first author whose update carries a client's items typed them: a later update
      // may carry them again (a reconnecting peer resending what it had), never first.
      for (const client of Y.parseUpdateMeta(row.update).to.keys()) {
        if (!authors.clients.has(client)) authors.clients.set(client, row.author)
      }
    }
    this.#authors.delete(ref.interviewId)
    this.#authors.set(ref.interviewId, authors)
    const cap = this.#o.authorsCached ?? 50
    for (const oldest of this.#authors.keys()) {
      if (this.#authors.size <= cap) break
      this.#authors.delete(oldest)
    }
    return authors
  }
}

/**
 * A document's log as bursts: per author, updates less than `editBurstGapMs` after that author's
 * previous one join it, whatever others typed meanwhile (two people typing at once stay two
 * lines, not hundreds of alternating ones).
 */
export function editBursts(
  doc: (typeof DocNames)[number],
  rows: readonly DocUpdateRecord[],
): TimelineEntry[] {
  const bursts: Extract<TimelineEntry, { kind: 'edit' }>[] = []
  const open = new Map<string, Extract<TimelineEntry, { kind: 'edit' }>>()
  for (const row of rows) {
    const key = authorKey(row.author)
    const burst = open.get(key)
    if (burst !== undefined && row.at - burst.until < editBurstGapMs) {
      burst.until = Math.max(burst.until, row.at)
      burst.updates++
      continue
    }
    const author = editAuthor(row.author)
    const started: Extract<TimelineEntry, { kind: 'edit' }> = {
      kind: 'edit',
      at: row.at,
      until: row.at,
      doc,
      author,
      ...(author.kind === 'participant' ? { participantId: author.participantId } : {}),
      updates: 1,
    }
    bursts.push(started)
    open.set(key, started)
  }
  return bursts
}

function authorKey(author: DocAuthor): string {
  switch (author.kind) {
    case 'participant':
      return `p:${author.participantId}`
    case 'server':
      return `s:${author.reason}`
    case 'unknown':
      return 'u'
  }
}

function editAuthor(author: DocAuthor): EditAuthor {
  return author.kind === 'participant'
    ? { kind: 'participant', participantId: author.participantId, role: author.role }
    : author
}

/**
 * The room's language at `at`: the last switch up to then, else what the first switch switched
 * from, else the interview's (it never switched).
 */
function languageAt(
  interview: InterviewRecord,
  events: readonly TimelineEventRecord[],
  at: number,
): LanguageId {
  const switches = events.flatMap((e) =>
    e.event.kind === 'language' ? [{ ...e.event, at: e.at }] : [],
  )
  const last = switches.filter((s) => s.at <= at).at(-1)
  return last?.to ?? switches[0]?.from ?? interview.language
}

/** The text's visible characters, in order, as runs of one participant each. */
function spansOf(text: Y.Text, clients: ReadonlyMap<number, DocAuthor>): AuthorSpan[] {
  const spans: AuthorSpan[] = []
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const author = clients.get(item.id.client)
    const participantId = author?.kind === 'participant' ? author.participantId : null
    const last = spans.at(-1)
    if (last?.participantId === participantId) last.length += item.length
    else spans.push({ participantId, length: item.length })
  }
  return spans
}
