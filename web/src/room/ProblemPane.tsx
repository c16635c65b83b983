/** The left pane: the statement, the signature, the tests one may see, and the current limits. */
import { useMemo, type ReactNode } from 'react'
import type { RoomView } from '../../../protocol/api.ts'
import { languageFacts, type LanguageId, type LanguageLimits } from '../../../protocol/languages.ts'
import { webKinds } from '../kinds/index.ts'
import { InterviewerGuidePanel } from './InterviewerGuidePanel.tsx'

export interface ProblemPaneProps {
  view: RoomView
  /** The room's current language; null until the room state arrives. */
  language: LanguageId | null
  /** Shown first, above the title: the signals list (interviewers) or the disclosure (candidates). */
  children?: ReactNode
}

export function ProblemPane({ view, language, children }: ProblemPaneProps) {
  const { challenge } = view
  const { labels } = webKinds[challenge.style]
  const limits = language === null ? undefined : view.limits[language]
  const statementHtml = useMemo(
    () => withoutTitleHeading(challenge.statementHtml, challenge.title),
    [challenge.statementHtml, challenge.title],
  )
  return (
    <aside className="problem-pane" data-testid="problem">
      {children}
      <h1 className="problem-title">{challenge.title}</h1>
      <div className="problem-tags">
        <span className={`badge difficulty-${challenge.difficulty}`}>{challenge.difficulty}</span>
        {challenge.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      {challenge.signature === undefined ? null : (
        <pre className="signature mono" data-testid="signature">
          {challenge.signature}
        </pre>
      )}
      {/* Rendered from Markdown and sanitised by the server (sanitize-html); nothing else is raw. */}
      <div
        className="statement"
        data-testid="statement"
        dangerouslySetInnerHTML={{ __html: statementHtml }}
      />
      {challenge.interviewer === undefined ? null : (
        <InterviewerGuidePanel guide={challenge.interviewer} />
      )}
      <section className="problem-section">
        <h2>Tests</h2>
        {challenge.tests.length === 0 ? <p className="muted small">No visible tests.</p> : null}
        <ul className="test-cases">
          {challenge.tests.map((test) => (
            <li key={test.id} className="test-case">
              <div className="test-case-name">
                {test.name}
                {test.hidden ? <span className="tag tag-hidden">hidden</span> : null}
              </div>
              {test.input === undefined ? null : (
                <pre className="mono small">
                  <span className="muted">{labels.input.padEnd(7)}</span>
                  {test.input}
                </pre>
              )}
              {test.expected === undefined ? null : (
                <pre className="mono small">
                  <span className="muted">{labels.expected.padEnd(7)}</span>
                  {test.expected}
                </pre>
              )}
            </li>
          ))}
        </ul>
        {challenge.hiddenTestCount > 0 && view.role === 'candidate' ? (
          <p className="muted small">
            Plus {challenge.hiddenTestCount} hidden test{challenge.hiddenTestCount === 1 ? '' : 's'}
            : you will see whether they pass, not their contents.
          </p>
        ) : null}
      </section>
      {limits === undefined || language === null ? null : (
        <section className="problem-section" data-testid="limits">
          <h2>Limits · {languageFacts[language].name}</h2>
          <LimitsTable limits={limits} />
        </section>
      )}
    </aside>
  )
}

function LimitsTable({ limits }: { limits: LanguageLimits }) {
  const rows: [string, string][] = [
    ['CPU time per test', formatMs(limits.cpuTimeMs)],
    ['Wall time per test', formatMs(limits.wallTimeMs)],
    ['Memory', `${limits.memoryMb} MiB`],
    ['Output per run', formatBytes(limits.outputBytes)],
  ]
  if (limits.compileTimeMs !== undefined)
    rows.push(['Compile time', formatMs(limits.compileTimeMs)])
  return (
    <dl className="limits">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/**
 * The statement without its leading `# Title` when that repeats the challenge's title, which the
 * pane already shows as its heading. Parsed in an inert <template>: nothing in it runs or loads.
 */
function withoutTitleHeading(html: string, title: string): string {
  const template = document.createElement('template')
  template.innerHTML = html
  const first = template.content.firstElementChild
  if (first?.tagName !== 'H1' || first.textContent.trim() !== title.trim()) return html
  first.remove()
  return template.innerHTML
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}
