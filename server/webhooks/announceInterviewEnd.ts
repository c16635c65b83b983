/**
 * What Tandem tells webhooks when an interview ends: `interview.ended`, then `report.ready` with
 * the report's figures, both built from one report. Called by server/Tandem.ts once the end is
 * stored; a failure here is logged and never undoes the end.
 */
import type { InterviewReport } from '../../protocol/report.ts'
import type { InterviewEndedData, ReportReadyData, WebhookLinks } from '../../protocol/webhooks.ts'
import type { Logger } from '../logger.ts'
import type { ReportService } from '../report/ReportService.ts'
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
