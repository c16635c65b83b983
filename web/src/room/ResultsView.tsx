/**
 * The results of the room's latest run: a summary line, the compiler's output, and one row per
 * test as its event arrives. Rows expand to input, expected vs actual (diffed), the judge's note,
 * the test's console output and any runtime error. Hidden tests seen by a candidate arrive
 * redacted (verdict only) and cannot expand. What the program printed outside any test (module
 * level, static initialisers, between tests) is shown apart, under the rows: it belongs to none.
 */
import { useMemo, useState } from 'react'
import type { Role } from '../../../protocol/people.ts'
import type { TestResult } from '../../../protocol/run.ts'
import { languageFacts } from '../../../protocol/languages.ts'
import { verdictLabel, type TestVerdict } from '../../../protocol/verdicts.ts'
import { diffOutputs, type DiffLine } from '../run/diffOutputs.ts'
import { runProgress, unrunVerdict, type RunView, type TestRow } from '../run/runReducer.ts'
import { formatMs } from './ProblemPane.tsx'

export function ResultsView({ run, role }: { run: RunView | null; role: Role }) {
  if (run === null) {
    return (
      <p className="muted empty">
        No runs yet. Run the tests to see results here; everyone in the room sees them.
      </p>
    )
  }
  const firstFailure =
    run.phase === 'finished' ? run.tests.find((row) => isFailure(row.result)) : undefined
  return (
    <div className="results" data-testid="results" data-run-id={run.runId} data-phase={run.phase}>
      <RunHeadline run={run} role={role} />
      {run.summary?.compileOutput ? (
        <div className="output-block">
          <div className="output-label">Compiler output</div>
          <pre className="mono compile-output" data-testid="compile-output">
            {run.summary.compileOutput}
          </pre>
        </div>
      ) : null}
      <ol className="result-rows">
        {run.tests.map((row) => (
          <TestRowView
            key={`${run.runId}:${row.testId}`}
            row={row}
            unrun={run.phase === 'finished' ? unrunVerdict(run) : 'pending'}
            role={role}
            initiallyOpen={row === firstFailure || run.info?.mode === 'custom'}
            custom={run.info?.mode === 'custom'}
          />
        ))}
      </ol>
      {run.summary?.outsideOutput ? (
        <div className="output-block">
          <div className="output-label">Output outside tests</div>
          <pre className="mono" data-testid="outside-output">
            {run.summary.outsideOutput}
          </pre>
        </div>
      ) : null}
      {/* The server sends this to interviewers only: it came from the hidden tests' process. */}
      {run.summary?.hiddenOutsideOutput ? (
        <div className="output-block">
          <div className="output-label">
            Output outside tests, hidden tests' run (interviewers only)
          </div>
          <pre className="mono" data-testid="hidden-outside-output">
            {run.summary.hiddenOutsideOutput}
          </pre>
        </div>
      ) : null}
    </div>
  )
}

function RunHeadline({ run, role }: { run: RunView; role: Role }) {
  const progress = runProgress(run)
  const info = run.info
  const meta =
    info === null
      ? null
      : `${info.mode === 'custom' ? 'Custom input' : 'Tests'} · ${languageFacts[info.language].name} · run by ${info.requestedBy.name}`
  if (run.summary !== null) {
    const { summary } = run
    // A custom input has no expected output: "passed" only means it ran to the end.
    const ran = info?.mode === 'custom' && summary.verdict === 'passed'
    // A candidate's "failed" that a hidden test earned is redacted: it names no class.
    const culprit = run.tests.find((row) => row.result?.verdict === summary.verdict)
    const redacted = role === 'candidate' && culprit?.hidden === true
    return (
      <div className="run-summary" data-testid="run-summary" data-verdict={summary.verdict}>
        <VerdictBadge
          verdict={summary.verdict}
          testId="run-verdict"
          redacted={redacted}
          {...(ran ? { label: ranLabel } : {})}
        />
        {summary.total > 0 && !ran ? (
          <span className="strong" data-testid="run-score">
            {summary.passed}/{summary.total} passed
          </span>
        ) : null}
        {/* Badge and score say it all for these; other verdicts' messages name the test or limit. */}
        {summary.total > 0 &&
        (summary.verdict === 'passed' || summary.verdict === 'failed') ? null : (
          <span className="run-message">{summary.message}</span>
        )}
        <span className="muted small">{formatMs(summary.durationMs)}</span>
        {meta === null ? null : <span className="muted small run-meta">{meta}</span>}
      </div>
    )
  }
  const phaseText =
    run.phase === 'queued'
      ? run.queuePosition !== null && run.queuePosition > 0
        ? `Queued, ${run.queuePosition} ahead`
        : 'Queued'
      : run.phase === 'preparing'
        ? 'Preparing the sandbox'
        : run.phase === 'compiling'
          ? 'Compiling'
          : `Running ${progress.done}/${progress.total}`
  return (
    <div className="run-summary" data-testid="run-summary" data-verdict="pending">
      <span className="spinner spinner-small" aria-hidden="true" />
      <span className="strong" data-testid="run-phase">
        {phaseText}…
      </span>
      {meta === null ? null : <span className="muted small run-meta">{meta}</span>}
    </div>
  )
}

/** The badge of a custom-input run that finished: there was nothing to compare it with. */
const ranLabel = 'Ran'

export function VerdictBadge({
  verdict,
  testId,
  label,
  redacted = false,
}: {
  verdict: TestVerdict | 'pending'
  testId?: string
  /** A hidden test's verdict as a candidate sees it: a failure of no named class. */
  redacted?: boolean
  /** Replaces the verdict's usual label. */
  label?: string
}) {
  return (
    <span
      className={`verdict verdict-${verdict}`}
      data-testid={testId ?? 'verdict-badge'}
      data-verdict={verdict}
    >
      {label ?? (verdict === 'pending' ? 'Pending' : verdictLabel(verdict, redacted))}
    </span>
  )
}

function TestRowView({
  row,
  unrun,
  role,
  initiallyOpen,
  custom,
}: {
  row: TestRow
  /** What the row shows while it has no result: pending, or once the run is over, why not. */
  unrun: 'pending' | 'skipped' | 'cancelled'
  role: Role
  initiallyOpen: boolean
  custom: boolean
}) {
  // Null until the user toggles: until then the row follows `initiallyOpen`, which turns true
  // only when the run finishes, long after the row first rendered as pending.
  const [open, setOpen] = useState<boolean | null>(null)
  const { result } = row
  const verdict: TestVerdict | 'pending' = result?.verdict ?? unrun
  const redacted = row.hidden && role === 'candidate'
  const expandable = result !== null && !redacted && hasDetails(result)
  const expanded = (open ?? initiallyOpen) && expandable
  return (
    <li
      className={`result-row ${expanded ? 'open' : ''}`}
      data-testid="result-row"
      data-verdict={verdict}
      data-test-id={row.testId}
      data-hidden={row.hidden}
    >
      <button
        type="button"
        className="result-head"
        aria-expanded={expandable ? expanded : undefined}
        disabled={!expandable}
        title={redacted ? 'Hidden test: only whether it passed is shown' : undefined}
        onClick={() => setOpen(!expanded)}
      >
        <span className="chevron" aria-hidden="true">
          {expandable ? (expanded ? '▾' : '▸') : ''}
        </span>
        <VerdictBadge
          verdict={verdict}
          redacted={redacted}
          {...(custom && verdict === 'passed' ? { label: ranLabel } : {})}
        />
        <span className="result-name">{row.name}</span>
        {row.hidden ? <span className="tag tag-hidden">hidden</span> : null}
        <span className="result-duration muted small">
          {result?.durationMs == null ? '' : formatMs(result.durationMs)}
        </span>
      </button>
      {expanded ? <TestDetails result={result} /> : null}
    </li>
  )
}

function TestDetails({ result }: { result: TestResult }) {
  return (
    <div className="result-details" data-testid="result-details">
      {result.input === undefined ? null : <OutputBlock label="Input" text={result.input} />}
      {result.expected !== undefined && result.actual !== undefined ? (
        <OutputDiffView expected={result.expected} actual={result.actual} />
      ) : (
        <>
          {result.expected === undefined ? null : (
            <OutputBlock label="Expected" text={result.expected} />
          )}
          {result.actual === undefined ? null : <OutputBlock label="Output" text={result.actual} />}
        </>
      )}
      {result.mismatch === undefined ? null : (
        <div className="mismatch" data-testid="mismatch">
          {result.mismatch}
        </div>
      )}
      {result.stdout === undefined || result.stdout === '' ? null : (
        <OutputBlock label="Console" text={result.stdout} />
      )}
      {result.error === undefined ? null : (
        <OutputBlock
          label="Error"
          className="error-output"
          text={
            result.error.stack === undefined
              ? result.error.message
              : result.error.stack.includes(result.error.message)
                ? result.error.stack
                : `${result.error.message}\n${result.error.stack}`
          }
        />
      )}
    </div>
  )
}

function OutputBlock({
  label,
  text,
  className,
}: {
  label: string
  text: string
  className?: string
}) {
  return (
    <div className="output-block">
      <div className="output-label">{label}</div>
      <pre className={`mono ${className ?? ''}`}>
        {text === '' ? <span className="muted">(empty)</span> : text}
      </pre>
    </div>
  )
}

function OutputDiffView({ expected, actual }: { expected: string; actual: string }) {
  const diff = useMemo(() => diffOutputs(expected, actual), [expected, actual])
  return (
    <div className="diff" data-testid="diff">
      <div className="output-block">
        <div className="output-label">Expected</div>
        <DiffSide lines={diff.expected} kind="del" />
      </div>
      <div className="output-block">
        <div className="output-label">Actual</div>
        <DiffSide lines={diff.actual} kind="add" />
      </div>
    </div>
  )
}

function DiffSide({ lines, kind }: { lines: DiffLine[]; kind: 'add' | 'del' }) {
  if (lines.length === 0) {
    return (
      <pre className="mono">
        <span className="muted">(empty)</span>
      </pre>
    )
  }
  return (
    <pre className="mono">
      {lines.map((line, i) => (
        <span key={i} className={line.changed ? `diff-line diff-line-${kind}` : 'diff-line'}>
          {line.spans.map((span, j) =>
            span.changed ? (
              <mark key={j} className={`diff-${kind}`}>
                {span.text}
              </mark>
            ) : (
              <span key={j}>{span.text}</span>
            ),
          )}
          {'\n'}
        </span>
      ))}
    </pre>
  )
}

function isFailure(result: TestResult | null): boolean {
  return result !== null && result.verdict !== 'passed' && result.verdict !== 'skipped'
}

function hasDetails(result: TestResult): boolean {
  return (
    result.input !== undefined ||
    result.expected !== undefined ||
    result.actual !== undefined ||
    result.mismatch !== undefined ||
    (result.stdout !== undefined && result.stdout !== '') ||
    result.error !== undefined
  )
}
