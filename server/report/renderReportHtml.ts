/**
 * report.html: the report as one self-contained file (styles inline, no script, no request to
 * anywhere), to attach to a candidate's record or print. Everything a candidate wrote or their
 * code printed is escaped; the page's CSP loads nothing even if an escape were missed.
 */
import { languageFacts } from '../../protocol/languages.ts'
import type { InterviewReport, ReportComment, ReportRun } from '../../protocol/report.ts'
import type { TestResult } from '../../protocol/run.ts'
import { describeSignal, type Signal } from '../../protocol/signals.ts'
import { recommendationLabels, type Scorecard, type Scorecards } from '../../protocol/scorecards.ts'
import { verdictLabel, verdictLabels } from '../../protocol/verdicts.ts'

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c)
}

/** 75 000 ms → "1:15"; an hour or more → "1:02:05". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

const when = (iso: string | null): string =>
  iso === null
    ? '—'
    : escapeHtml(
        iso
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' UTC')
          .replace(/Z$/, ' UTC'),
      )

const orDash = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms))

const styles = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2330;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #d7dce5;padding-bottom:.25rem}
h3{font-size:1rem;margin:1rem 0 .25rem}.muted{color:#5b6577}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{font-weight:600;color:#3d4657}dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#5b6577}dd{margin:0}
pre{background:#f5f7fa;border:1px solid #e1e5ec;border-radius:4px;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace}
.v-passed{color:#17753a}.v-bad{color:#b42318}.tag{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:12px;background:#eef1f6}
details{margin:.4rem 0}summary{cursor:pointer}
@media print{body{margin:0;max-width:none}details{break-inside:avoid}details>*{display:block}}
`

export function renderReportHtml(report: InterviewReport): string {
  const { interview, summary } = report
  const candidates = report.people.filter((p) => p.role === 'candidate')
  const interviewers = report.people.filter((p) => p.role === 'interviewer')
  const names = (people: typeof candidates): string =>
    people.length === 0 ? '—' : people.map((p) => escapeHtml(p.name)).join(', ')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`Interview report: ${interview.title}`)}</title>
<style>${styles}</style></head>
<body>
<h1>${escapeHtml(interview.title)}</h1>
<p class="muted">Interview report made ${when(report.generatedAt)}${report.endedAt === null ? ' while the interview was live' : ''}</p>
<dl class="figures">
<dt>Candidate</dt><dd>${names(candidates)}</dd>
<dt>Interviewers</dt><dd>${names(interviewers)}</dd>
<dt>Challenge</dt><dd>${escapeHtml(report.challenge.title)} <span class="muted">(${escapeHtml(report.challenge.slug)}${report.challenge.version === null ? '' : `, version ${escapeHtml(report.challenge.version.slice(0, 12))}`})</span></dd>
<dt>Started</dt><dd>${when(interview.startedAt)}</dd>
<dt>Ended</dt><dd>${when(report.endedAt)}</dd>
<dt>Duration</dt><dd>${orDash(summary.durationMs)} of ${interview.plannedMinutes} minutes planned</dd>
</dl>
<h2>Summary</h2>
<dl class="figures">
<dt>Time to first run</dt><dd>${orDash(summary.timeToFirstRunMs)}</dd>
<dt>Runs</dt><dd>${summary.runs} (${summary.passingRuns} passing every test)</dd>
<dt>Last verdict</dt><dd>${summary.lastVerdict === null ? '—' : verdictSpan(summary.lastVerdict)}</dd>
<dt>Time per language</dt><dd>${summary.timePerLanguage.length === 0 ? '—' : summary.timePerLanguage.map((l) => `${escapeHtml(languageFacts[l.language].name)} ${formatDuration(l.ms)}`).join(', ')}</dd>
<dt>Language switches</dt><dd>${summary.languageSwitches}</dd>
<dt>Signals</dt><dd>${summary.signals.pastes} pastes, ${summary.signals.focusLosses} times the tab lost focus, ${summary.signals.largeInserts} large insertions${summary.signals.dropped === 0 ? '' : `, ${summary.signals.dropped} reports over the rate limit`}</dd>
</dl>
<h2>Signals</h2>
<p class="muted">Facts recorded as they happened, shown to the interviewers live; the candidate was told what is recorded. Nothing here is a judgement.</p>
${report.signals.length === 0 ? '<p class="muted">No signals.</p>' : signalsTable(report.signals, interview.startedAt)}
<h2>Scorecards</h2>
${scorecardsSection(report.scorecards)}
<h2>Interviewers' notes</h2>
${report.notes.trim() === '' ? '<p class="muted">No notes.</p>' : `<pre class="notes">${escapeHtml(report.notes)}</pre>`}
<h2>Comments on the code</h2>
${report.comments.length === 0 ? '<p class="muted">No comments.</p>' : report.comments.map(commentSection).join('\n')}
<h2>Final code</h2>
${report.finalCode.length === 0 ? '<p class="muted">No code.</p>' : report.finalCode.map((f) => `<h3>${escapeHtml(f.path)}</h3><pre>${escapeHtml(f.content)}</pre>`).join('\n')}
<h2>Runs</h2>
${report.runs.length === 0 ? '<p class="muted">Nobody ran the code.</p>' : runsTable(report.runs)}
${report.runs.map(runSection).join('\n')}
</body></html>
`
}

/** Each signal at its time on the interview clock (from the candidate's first entry). */
function signalsTable(signals: readonly Signal[], startedAt: string | null): string {
  const start = startedAt === null ? null : Date.parse(startedAt)
  const rows = signals.map((signal) => {
    const at = Date.parse(signal.at)
    const clock = start === null || at < start ? '—' : formatDuration(at - start)
    return `<tr><td>${clock}</td><td>${when(signal.at)}</td><td>${escapeHtml(signal.name)}</td><td>${escapeHtml(describeSignal(signal.detail))}</td></tr>`
  })
  return `<table class="signals"><thead><tr><th>Clock</th><th>When</th><th>Who</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/**
 * Each card the reader may see (their own, and the others' once theirs is submitted; the report
 * already holds only those), then who else has one: the evidence follows in the next sections.
 */
function scorecardsSection(scorecards: Scorecards): string {
  const cards: string[] = []
  if (scorecards.mine !== null)
    cards.push(cardSection('Your scorecard', scorecards.mine, scorecards))
  for (const other of scorecards.others) {
    cards.push(
      other.scorecard === null
        ? `<p class="muted">${escapeHtml(other.interviewerName)}: ${other.status === 'submitted' ? 'submitted' : 'a draft'}${scorecards.othersVisible ? '' : ' (shown once your own scorecard is submitted)'}</p>`
        : cardSection(other.interviewerName, other.scorecard, scorecards),
    )
  }
  return cards.length === 0 ? '<p class="muted">No scorecards.</p>' : cards.join('\n')
}

function cardSection(who: string, card: Scorecard, scorecards: Scorecards): string {
  const names = new Map(scorecards.rubric.map((c) => [c.id, c]))
  const rows = card.criteria.map((c) => {
    const criterion = names.get(c.criterion)
    const level = c.score === null ? undefined : criterion?.levels[c.score - 1]
    return `<tr><td>${escapeHtml(criterion?.name ?? c.criterion)}</td><td>${c.score === null ? '—' : `${c.score}/4`}${level === undefined ? '' : ` <span class="muted">${escapeHtml(level)}</span>`}</td><td>${escapeHtml(c.note)}</td></tr>`
  })
  const recommendation =
    card.recommendation === null ? '—' : escapeHtml(recommendationLabels[card.recommendation])
  return `<section class="scorecard"><h3>${escapeHtml(who)} <span class="muted">${card.status === 'submitted' ? `submitted ${when(card.submittedAt)}` : 'draft'}</span></h3>
<p><b>Recommendation:</b> ${recommendation}</p>
<table><thead><tr><th>Criterion</th><th>Score</th><th>Note</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${card.overallNote.trim() === '' ? '' : `<p>${escapeHtml(card.overallNote)}</p>`}</section>`
}

function commentSection(comment: ReportComment): string {
  const where =
    comment.lines === null
      ? 'not in the final code'
      : `lines ${comment.lines.start}–${comment.lines.end}${comment.status === 'deleted' ? ', since deleted' : ''}`
  return `<section class="comment"><p><b>${escapeHtml(comment.author)}</b> <span class="muted">${when(comment.createdAt)} · ${escapeHtml(comment.path)}, ${where}${comment.resolved ? ' · resolved' : ''}</span></p>
<p>${escapeHtml(comment.text)}</p>
<pre>${escapeHtml(comment.code)}</pre></section>`
}

function verdictSpan(verdict: keyof typeof verdictLabels): string {
  return `<span class="${verdict === 'passed' ? 'v-passed' : 'v-bad'}">${escapeHtml(verdictLabels[verdict])}</span>`
}

function runsTable(runs: readonly ReportRun[]): string {
  const rows = runs.map(
    (run, i) =>
      `<tr><td><a href="#run-${i + 1}">${i + 1}</a></td><td>${when(run.info.createdAt)}</td><td>${escapeHtml(run.info.requestedBy.name)}</td><td>${escapeHtml(languageFacts[run.info.language].name)}</td><td>${escapeHtml(run.info.mode)}</td><td>${run.summary === null ? '—' : `${verdictSpan(run.summary.verdict)} ${run.summary.passed}/${run.summary.total}`}</td></tr>`,
  )
  return `<table><thead><tr><th>#</th><th>When</th><th>By</th><th>Language</th><th>Mode</th><th>Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function runSection(run: ReportRun, i: number): string {
  const summary = run.summary
  return `<section id="run-${i + 1}"><h3>Run ${i + 1} <span class="muted">${when(run.info.createdAt)} · ${escapeHtml(run.info.requestedBy.name)} · ${escapeHtml(languageFacts[run.info.language].name)}</span></h3>
${summary === null ? '<p class="muted">The server stopped before this run finished.</p>' : `<p>${verdictSpan(summary.verdict)}: ${escapeHtml(summary.message)}</p>`}
${summary?.compileOutput === undefined ? '' : `<details><summary>Compiler output</summary><pre>${escapeHtml(summary.compileOutput)}</pre></details>`}
${run.results.length === 0 ? '' : `<table><thead><tr><th>Test</th><th>Verdict</th><th>Details</th></tr></thead><tbody>${run.results.map(testRow).join('')}</tbody></table>`}
${run.code === null ? '' : `<details><summary>The code it ran</summary><pre>${escapeHtml(run.code)}</pre></details>`}
</section>`
}

function testRow(result: TestResult): string {
  const details = [
    result.input === undefined
      ? ''
      : `<div><b>Input</b> <code>${escapeHtml(result.input)}</code></div>`,
    result.expected === undefined || result.verdict === 'passed'
      ? ''
      : `<div><b>Expected</b> <code>${escapeHtml(result.expected)}</code></div>`,
    result.actual === undefined || result.verdict === 'passed'
      ? ''
      : `<div><b>Got</b> <code>${escapeHtml(result.actual)}</code></div>`,
    result.mismatch === undefined ? '' : `<div>${escapeHtml(result.mismatch)}</div>`,
    result.error === undefined
      ? ''
      : `<div><b>Error</b> <code>${escapeHtml(result.error.message)}</code></div>`,
  ].join('')
  const verdict = `<span class="${result.verdict === 'passed' ? 'v-passed' : 'v-bad'}">${escapeHtml(verdictLabel(result.verdict, false))}</span>`
  return `<tr><td>${escapeHtml(result.name)}${result.hidden ? ' <span class="tag">hidden</span>' : ''}</td><td>${verdict}</td><td>${details}</td></tr>`
}
