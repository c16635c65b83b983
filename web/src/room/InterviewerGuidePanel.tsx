/**
 * "For interviewers": the challenge's interviewer.md (what it assesses, follow-up questions) and
 * its rubric. The server puts the guide only in interviewers' room views, so a candidate's pane
 * has nothing to render here; the web does not hide it, it never has it. Closed at first, so an
 * interviewer sharing their screen does not show it by accident.
 */
import type { InterviewerGuide } from '../../../protocol/api.ts'

export function InterviewerGuidePanel({ guide }: { guide: InterviewerGuide }) {
  return (
    <details className="problem-section interviewer-guide" data-testid="interviewer-guide">
      <summary>
        <h2>For interviewers</h2>
        <span className="muted small">candidates never see this</span>
      </summary>
      {/* Rendered from Markdown and sanitised by the server, like the statement. */}
      <div className="statement" dangerouslySetInnerHTML={{ __html: guide.notesHtml }} />
      <h3 className="interviewer-guide-rubric">Rubric</h3>
      <ol className="rubric">
        {guide.rubric.map((criterion) => (
          <li key={criterion.id} className="rubric-criterion">
            <div className="rubric-name">{criterion.name}</div>
            <dl className="rubric-levels">
              {criterion.levels.map((level, i) => (
                <div key={i}>
                  <dt>{i + 1}</dt>
                  <dd>{level}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ol>
    </details>
  )
}
