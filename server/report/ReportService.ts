/**
 * The interview report (issue 9.7): gathers the interview, its people, runs (each with the code
 * it ran), final code and timeline figures from the store into one `InterviewReport`, which
 * report.html and report.pdf render. Interviewers only; the routes check that before calling.
 */
import { solutionPath } from '../../protocol/collab.ts'
import { notesTextKey } from '../../protocol/notes.ts'
import type {
  InterviewReport,
  ReportComment,
  ReportPerson,
  ReportRun,
} from '../../protocol/report.ts'
import type { RunEvent, TestResult } from '../../protocol/run.ts'
import type { DocAccess } from '../interviews/DocAccess.ts'
import type { InterviewService } from '../interviews/InterviewService.ts'
import { resolveCommentsAt, type ResolvedComment } from '../notes/resolveComments.ts'
import { signalsOf } from '../signals/SignalService.ts'
import type { ScorecardService } from '../scorecards/ScorecardService.ts'
import type { ParticipantRecord, Store } from '../store/Store.ts'
import type { PdfPrinter } from './printPdf.ts'
import { docOf, storedFiles } from './storedFiles.ts'
import { summarize } from './summarize.ts'

export interface ReportServiceOptions {
  store: Store
  interviews: Pick<InterviewService, 'get'>
  /** To write what the rooms hold but the store does not yet. */
  docs: Pick<DocAccess, 'flush'>
  pdf: PdfPrinter
  /** The scorecards, as the interviewer asking for the report may see them. */
  scorecards: Pick<ScorecardService, 'view'>
  now?: () => number
}

/** Runs beyond this many are left out of a report (the newest are kept). */
const maxRuns = 500

export class ReportService {
  readonly #o: ReportServiceOptions

  constructor(options: ReportServiceOptions) {
    this.#o = options
  }

  /**
   * The report as the interviewer account `viewerId` may read it: everything, but the others'
   * scorecards only once theirs is submitted (the same rule as GET scorecards); null for a
   * reader with no card (a webhook), who reads no card's content.
   */
  async report(interviewId: string, viewerId: string | null): Promise<InterviewReport> {
    const { store } = this.#o
    const now = this.#o.now?.() ?? Date.now()
    const interview = await this.#o.interviews.get(interviewId)
    await this.#o.docs.flush(interviewId)
    const record = await store.interviews.byId(interviewId)
    if (record === null) throw new Error(`interview ${interviewId} vanished`)
    const [participants, events, rows, finalCode, notes, comments, scorecards] = await Promise.all([
      store.participants.listForInterview(interviewId),
      store.events.list(interviewId),
      store.runs.listForInterview(interviewId, maxRuns),
      storedFiles(store, interviewId),
      notesOf(store, interviewId),
      resolveCommentsAt(store, { interviewId, at: Number.MAX_SAFE_INTEGER }),
      this.#o.scorecards.view(record, viewerId),
    ])
    const runs = await Promise.all(
      rows.reverse().map(async (row): Promise<ReportRun> => {
        const runEvents = await store.runs.events(row.info.runId)
        return { ...row, results: resultsOf(runEvents), code: await this.#codeOf(row.info) }
      }),
    )
    return {
      generatedAt: new Date(now).toISOString(),
      interview,
      endedAt: record.endedAt,
      challenge: {
        slug: record.challengeSlug,
        title: interview.challengeTitle,
        version: record.challengeVersion,
      },
      people: peopleOf(participants),
      summary: summarize({ interview: record, events, runs, now }),
      finalCode,
      runs,
      notes,
      comments: comments.map(toReportComment),
      signals: signalsOf(events),
      scorecards,
      pdf: this.#o.pdf.availability(),
    }
  }

  /** The report's HTML as a PDF (server/report/printPdf.ts says when it cannot). */
  pdf(html: string): Promise<Buffer> {
    return this.#o.pdf.print(html)
  }

  /** The run's file as the document stood when the run was asked for. */
  async #codeOf(info: ReportRun['info']): Promise<string | null> {
    const record = await this.#o.store.interviews.byId(info.interviewId)
    if (record === null) return null
    const files = await storedFiles(this.#o.store, info.interviewId, Date.parse(info.createdAt))
    const path = solutionPath(record.challengeSlug, info.language)
    return files.find((f) => f.path === path)?.content ?? null
  }
}

/**
 * Everyone who was in the room, once each, in the order they first came: every entry or reload
 * is a participant of its own, so an interviewer counts by account and a candidate by name.
 */
function peopleOf(participants: readonly ParticipantRecord[]): ReportPerson[] {
  const people = new Map<string, ReportPerson>()
  for (const p of participants) {
    const key = `${p.role}:${p.userId ?? p.name}`
    const seen = people.get(key)
    const removedAt = p.removedAt ?? seen?.removedAt ?? null
    people.set(key, {
      name: p.name,
      role: p.role,
      joinedAt: seen?.joinedAt ?? p.createdAt,
      removedAt,
    })
  }
  return [...people.values()]
}

/** A run's test results, each as its last event told it. */
function resultsOf(events: readonly RunEvent[]): TestResult[] {
  const byIndex = new Map<number, TestResult>()
  for (const event of events)
    if (event.type === 'test') byIndex.set(event.result.index, event.result)
  return [...byIndex.values()].sort((a, b) => a.index - b.index)
}

/** The notes document's Markdown as the store holds it (flushed just before). */
async function notesOf(store: Store, interviewId: string): Promise<string> {
  const doc = docOf(await store.docs.load({ interviewId, doc: 'notes' }))
  try {
    return doc.getText(notesTextKey).toJSON()
  } finally {
    doc.destroy()
  }
}

function toReportComment(resolved: ResolvedComment): ReportComment {
  const { comment, status, lines, excerpt } = resolved
  return {
    author: comment.author.name,
    createdAt: comment.createdAt,
    text: comment.text,
    path: comment.path,
    status,
    lines,
    code: status === 'anchored' ? excerpt : comment.quote,
    resolved: comment.resolved !== null,
  }
}
