/**
 * What Tandem tells webhooks when an interview ends: `interview.ended`, then `report.ready` with
 * the report's figures, both built from one report. Called by server/Tandem.ts once the end is
 * stored; a failure here is logged and never undoes the end.
 */
import type { InterviewReport } from '../../protocol/report.ts'
import type {
  InterviewEndedData,
  ReportReadyData,
  ScorecardSubmittedData,
  WebhookLinks,
} from '../../protocol/webhooks.ts'
import type { Logger } from '../logger.ts'
import type { ReportService } from '../report/ReportService.ts'
import type { ScorecardSubmission } from '../scorecards/ScorecardService.ts'
import type { Store } from '../store/Store.ts'
import type { WebhookDispatcher } from './WebhookDispatcher.ts'

export interface AnnounceOptions {
  reports: Pick<ReportService, 'report'>
  webhooks: Pick<WebhookDispatcher, 'emit' | 'hasSubscribers'>
  /** Without a trailing slash. */
  publicUrl: string
  logger: Logger
}

export async function announceInterviewEnd(o: AnnounceOptions, interviewId: string): Promise<void> {
  try {
    // The report is built only for somebody: most instances have no endpoint.
    if (!(await o.webhooks.hasSubscribers(['interview.ended', 'report.ready']))) return
    // Built for no reader (null): webhooks carry no scores, so no card's content is read.
    const report = await o.reports.report(interviewId, null)
    const ended = interviewEndedData(report, o.publicUrl)
    await o.webhooks.emit('interview.ended', ended)
    const ready: ReportReadyData = {
      ...ended,
      summary: {
        durationMs: report.summary.durationMs,
        runs: report.summary.runs,
        passingRuns: report.summary.passingRuns,
        lastVerdict: report.summary.lastVerdict,
      },
      pdfAvailable: report.pdf.available,
    }
    await o.webhooks.emit('report.ready', ready)
  } catch (error) {
    o.logger.error({ err: error, interviewId }, 'webhooks for an ended interview not queued')
  }
}

/**
 * `scorecard.submitted`, when a card is submitted: who and when, never the card (see
 * protocol/webhooks.ts). A failure is logged; the submission stands.
 */
export async function announceScorecard(
  o: AnnounceOptions & { store: Pick<Store, 'scorecards' | 'users'> },
  submission: ScorecardSubmission,
): Promise<void> {
  const { interviewId } = submission
  try {
    if (!(await o.webhooks.hasSubscribers(['scorecard.submitted']))) return
    const [report, cards, user] = await Promise.all([
      o.reports.report(interviewId, null),
      o.store.scorecards.list(interviewId),
      o.store.users.byId(submission.userId),
    ])
    const data: ScorecardSubmittedData = {
      ...interviewEndedData(report, o.publicUrl),
      scorecard: {
        interviewerName: user?.name ?? 'An interviewer',
        submittedAt: submission.submittedAt,
      },
      submittedCount: cards.filter((c) => c.card.status === 'submitted').length,
    }
    await o.webhooks.emit('scorecard.submitted', data)
  } catch (error) {
    o.logger.error({ err: error, interviewId }, 'scorecard.submitted webhook not queued')
  }
}

export function interviewEndedData(report: InterviewReport, publicUrl: string): InterviewEndedData {
  const { interview } = report
  const names = (role: 'candidate' | 'interviewer'): string[] =>
    report.people.filter((p) => p.role === role).map((p) => p.name)
  return {
    interview: {
      id: interview.id,
      title: interview.title,
      challenge: { slug: report.challenge.slug, title: report.challenge.title },
      language: interview.language,
      candidates: names('candidate'),
      interviewers: names('interviewer'),
      plannedMinutes: interview.plannedMinutes,
      createdAt: interview.createdAt,
      startedAt: interview.startedAt,
      endedAt: report.endedAt,
    },
    links: linksOf(publicUrl, interview.id),
  }
}

function linksOf(publicUrl: string, interviewId: string): WebhookLinks {
  const id = encodeURIComponent(interviewId)
  const api = `${publicUrl}/api/interviews/${id}`
  return {
    report: `${publicUrl}/interviews/${id}/report`,
    reportJson: `${api}/report`,
    reportHtml: `${api}/report.html`,
    reportPdf: `${api}/report.pdf`,
  }
}
