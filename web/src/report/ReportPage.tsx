/**
 * `/interviews/:id/report`: the interview report for the hiring team (issue 9.7), as the server
 * makes it (`GET /api/interviews/:id/report`), with its exports: one self-contained HTML file, a
 * PDF (when the server has Chromium; the button says why not otherwise) and the JSON. The link can
 * be shared with any interviewer of the instance.
 */
import { useCallback, useEffect, useState } from 'react'
import { languageFacts } from '../../../protocol/languages.ts'
import type { InterviewReport, ReportRun } from '../../../protocol/report.ts'
import { describeSignal } from '../../../protocol/signals.ts'
import { verdictLabel, verdictLabels } from '../../../protocol/verdicts.ts'
import { api } from '../api/apiClient.ts'
import { MarkdownPreview } from '../notes/MarkdownPreview.tsx'
import { formatDate } from '../lobby/InterviewList.tsx'
import { routePath } from '../router/parseRoute.ts'
import { followLink } from '../router/useRoute.ts'
import { CopyButton } from '../ui/CopyButton.tsx'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import './report.css'

export interface ReportPageProps {
  interviewId: string
}

/** 75 000 ms → "1:15"; an hour or more → "1:02:05". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export function ReportPage({ interviewId }: ReportPageProps) {
  const [report, setReport] = useState<InterviewReport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(() => {
    setError(null)
    api
      .get<InterviewReport>(`/api/interviews/${encodeURIComponent(interviewId)}/report`)
      .then(setReport, setError)
  }, [interviewId])
  useEffect(load, [load])

  if (report === null) {
    return error === null ? (
      <LoadingPage label="Making the report…" />
    ) : (
      <StatusPage title="The report could not be made" testId="report-error">
        <ErrorNotice error={error} />
      </StatusPage>
    )
  }
  const base = `/api/interviews/${encodeURIComponent(interviewId)}`
  const candidates = report.people.filter((p) => p.role === 'candidate')
  const interviewers = report.people.filter((p) => p.role === 'interviewer')
  const { summary } = report
  return (
    <div className="app report-page" data-testid="report">
      <header className="topbar">
        <a className="brand" href="/" onClick={followLink}>
          Tandem
        </a>
        <div className="topbar-spacer" />
        <a
          className="btn btn-small btn-ghost"
          href={routePath({ name: 'room', interviewId })}
          onClick={followLink}
        >
          Back to the room
        </a>
        <CopyButton text={window.location.href} label="Copy link" testId="copy-report-link" />
        <a
          className="btn btn-small"
          href={`${base}/report.html`}
          download
          data-testid="export-html"
        >
          Download HTML
        </a>
        {report.pdf.available ? (
          <a
            className="btn btn-small"
            href={`${base}/report.pdf`}
            download
            data-testid="export-pdf"
          >
            Download PDF
          </a>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled
            title={report.pdf.reason}
            data-testid="export-pdf"
          >
            PDF unavailable
          </button>
        )}
        <a
          className="btn btn-small btn-ghost"
          href={`${base}/report`}
          target="_blank"
          rel="noreferrer"
        >
          JSON
        </a>
      </header>
      <main className="report">
        {report.pdf.available ? null : (
          <p className="muted small" data-testid="pdf-reason">
            {report.pdf.reason}
          </p>
        )}
        <h1>{report.interview.title}</h1>
        <p className="muted">
          Report made {formatDate(report.generatedAt)}
          {report.endedAt === null ? ', while the interview is live' : ''}
        </p>
        <dl className="report-figures" data-testid="report-people">
          <dt>Candidate</dt>
          <dd>{candidates.map((p) => p.name).join(', ') || '—'}</dd>
          <dt>Interviewers</dt>
          <dd>{interviewers.map((p) => p.name).join(', ') || '—'}</dd>
          <dt>Challenge</dt>
          <dd>
            {report.challenge.title}{' '}
            <span className="muted small">
              {report.challenge.version === null
                ? ''
                : `version ${report.challenge.version.slice(0, 12)}`}
            </span>
          </dd>
          <dt>Duration</dt>
          <dd>
            {formatDuration(summary.durationMs)} of {report.interview.plannedMinutes} minutes
            planned
          </dd>
        </dl>
        <h2>Summary</h2>
        <dl className="report-figures" data-testid="report-summary">
          <dt>Time to first run</dt>
          <dd>{formatDuration(summary.timeToFirstRunMs)}</dd>
          <dt>Runs</dt>
          <dd>
            {summary.runs} ({summary.passingRuns} passing every test)
          </dd>
          <dt>Last verdict</dt>
          <dd>{summary.lastVerdict === null ? '—' : verdictLabels[summary.lastVerdict]}</dd>
          <dt>Time per language</dt>
          <dd>
            {summary.timePerLanguage
              .map((l) => `${languageFacts[l.language].name} ${formatDuration(l.ms)}`)
              .join(', ') || '—'}
          </dd>
          <dt>Signals</dt>
          <dd data-testid="report-signal-counts">
            {summary.signals.pastes} pastes, {summary.signals.focusLosses} times the tab lost focus,{' '}
            {summary.signals.largeInserts} large insertions
            {summary.signals.dropped === 0
              ? ''
              : `, ${summary.signals.dropped} reports over the rate limit`}
          </dd>
        </dl>
        <h2>Signals</h2>
        <p className="muted">
          Facts recorded as they happened and shown to the interviewers live; the candidate was told
          what is recorded. Nothing here is a judgement.
        </p>
        {report.signals.length === 0 ? (
          <p className="muted">No signals.</p>
        ) : (
          <ol className="report-signals" data-testid="report-signals">
            {report.signals.map((signal, i) => (
              <li key={i}>
                <span className="muted">
                  {report.interview.startedAt === null
                    ? '—'
                    : formatDuration(
                        Math.max(0, Date.parse(signal.at) - Date.parse(report.interview.startedAt)),
                      )}
                </span>{' '}
                <b>{signal.name}</b> {describeSignal(signal.detail)}
              </li>
            ))}
          </ol>
        )}
        <h2>Interviewers' notes</h2>
        {report.notes.trim() === '' ? (
          <p className="muted">No notes.</p>
        ) : (
          <div data-testid="report-notes">
            <MarkdownPreview markdown={report.notes} />
          </div>
        )}
        <h2>Comments on the code</h2>
        {report.comments.length === 0 ? <p className="muted">No comments.</p> : null}
        {report.comments.map((comment, i) => (
          <section key={i} className="report-comment" data-testid="report-comment">
            <p>
              <strong>{comment.author}</strong>{' '}
              <span className="muted small">
                {formatDate(comment.createdAt)} · {comment.path},{' '}
                {comment.lines === null
                  ? 'not in the final code'
                  : `lines ${comment.lines.start}–${comment.lines.end}${comment.status === 'deleted' ? ', since deleted' : ''}`}
                {comment.resolved ? ' · resolved' : ''}
              </span>
            </p>
            <p>{comment.text}</p>
            <pre className="report-code">{comment.code}</pre>
          </section>
        ))}
        <h2>Final code</h2>
        {report.finalCode.map((file) => (
          <section key={file.path}>
            <h3 className="mono small">{file.path}</h3>
            <pre className="report-code" data-testid="report-final-code">
              {file.content}
            </pre>
          </section>
        ))}
        <h2>Runs</h2>
        {report.runs.length === 0 ? <p className="muted">Nobody ran the code.</p> : null}
        <ol className="report-runs" data-testid="report-runs">
          {report.runs.map((run) => (
            <RunEntry key={run.info.runId} run={run} />
          ))}
        </ol>
      </main>
    </div>
  )
}

function RunEntry({ run }: { run: ReportRun }) {
  const verdict = run.summary?.verdict
  return (
    <li data-testid="report-run" data-verdict={verdict ?? 'unfinished'}>
      <div>
        <span className={verdict === 'passed' ? 'verdict-passed' : 'verdict-bad'}>
          {verdict === undefined ? 'Unfinished' : verdictLabels[verdict]}
        </span>{' '}
        {run.summary === null ? null : `${run.summary.passed}/${run.summary.total}`}{' '}
        <span className="muted small">
          {formatDate(run.info.createdAt)} · {run.info.requestedBy.name} ·{' '}
          {languageFacts[run.info.language].name}
        </span>
      </div>
      <details>
        <summary>Tests and code</summary>
        <table className="table">
          <tbody>
            {run.results.map((result) => (
              <tr key={result.index}>
                <td>
                  {result.name}
                  {result.hidden ? <span className="badge">hidden</span> : null}
                </td>
                <td>{verdictLabel(result.verdict, false)}</td>
                <td className="mono small">{result.mismatch ?? result.error?.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {run.code === null ? null : <pre className="report-code">{run.code}</pre>}
      </details>
    </li>
  )
}
