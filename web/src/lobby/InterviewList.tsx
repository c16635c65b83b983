/** The interviewer's interviews: status, the candidate link to copy, and the way into the room. */
import type { Interview } from '../../../protocol/api.ts'
import { languageFacts } from '../../../protocol/languages.ts'
import { api } from '../api/apiClient.ts'
import { routePath } from '../router/parseRoute.ts'
import { followLink } from '../router/useRoute.ts'
import { CopyButton } from '../ui/CopyButton.tsx'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { useAction } from '../ui/useAction.ts'

export interface InterviewListProps {
  interviews: Interview[]
  /** The interview created last, shown highlighted. */
  highlightId: string | null
  onUpdated: (interview: Interview) => void
}

export function InterviewList({ interviews, highlightId, onUpdated }: InterviewListProps) {
  if (interviews.length === 0) {
    return <p className="muted">No interviews yet. Create one above.</p>
  }
  return (
    <table className="table" data-testid="interview-list">
      <thead>
        <tr>
          <th>Interview</th>
          <th>Language</th>
          <th>Status</th>
          <th>Created</th>
          <th className="table-actions">Candidate link</th>
          <th className="table-actions" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {interviews.map((interview) => (
          <InterviewRow
            key={interview.id}
            interview={interview}
            highlight={interview.id === highlightId}
            onUpdated={onUpdated}
          />
        ))}
      </tbody>
    </table>
  )
}

function InterviewRow({
  interview,
  highlight,
  onUpdated,
}: {
  interview: Interview
  highlight: boolean
  onUpdated: (interview: Interview) => void
}) {
  const end = useAction(async () => {
    const answer = await api.post<Interview | undefined>(
      `/api/interviews/${encodeURIComponent(interview.id)}/end`,
    )
    onUpdated(isInterview(answer) ? answer : { ...interview, status: 'ended' })
  })
  const open = interview.status === 'open'
  const roomPath = routePath({ name: 'room', interviewId: interview.id })
  return (
    <tr
      className={highlight ? 'highlight' : undefined}
      data-testid="interview-row"
      data-interview-id={interview.id}
      data-status={interview.status}
    >
      <td className="interview-title">
        <div className="strong">{interview.title}</div>
        {interview.title === interview.challengeTitle ? null : (
          <div className="muted small">{interview.challengeTitle}</div>
        )}
        <ErrorNotice error={end.error} />
      </td>
      <td>{languageFacts[interview.language].name}</td>
      <td>
        <span className={`badge status-${interview.status}`}>{open ? 'Open' : 'Ended'}</span>
      </td>
      <td className="muted small nowrap" title={interview.createdAt}>
        {formatDate(interview.createdAt)}
      </td>
      <td className="table-actions">
        {open ? (
          <CopyButton
            text={interview.candidateUrl}
            label="Copy link"
            testId="copy-candidate-link"
          />
        ) : null}
      </td>
      <td className="table-actions nowrap">
        <a
          className="btn btn-small btn-primary"
          href={roomPath}
          onClick={followLink}
          data-testid="open-room"
        >
          {open ? 'Open room' : 'View'}
        </a>
        <a
          className="btn btn-small btn-ghost"
          href={routePath({ name: 'report', interviewId: interview.id })}
          onClick={followLink}
          data-testid="open-report"
        >
          Report
        </a>
        {open ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={end.pending}
            onClick={() => {
              if (window.confirm(`End "${interview.title}"? The candidate link stops working.`)) {
                void end.run()
              }
            }}
          >
            End
          </button>
        ) : null}
      </td>
    </tr>
  )
}

function isInterview(value: unknown): value is Interview {
  return typeof value === 'object' && value !== null && 'id' in value && 'status' in value
}

export function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
