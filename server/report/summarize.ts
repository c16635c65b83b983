/**
 * The report's figures, from the interview's record, its timeline events and its runs: a pure
 * function, so the figures are tested without a server.
 */
import type { LanguageId } from '../../protocol/languages.ts'
import type { ReportRun, ReportSummary } from '../../protocol/report.ts'
import type { InterviewRecord, TimelineEventRecord } from '../store/Store.ts'

export interface SummaryInput {
  interview: Pick<InterviewRecord, 'language' | 'startedAt' | 'endedAt'>
  events: readonly TimelineEventRecord[]
  /** Oldest first. */
  runs: readonly Pick<ReportRun, 'info' | 'summary'>[]
  /** Unix ms: the end of a live interview's timeline. */
  now: number
}

export function summarize(input: SummaryInput): ReportSummary {
  const { interview, events, runs } = input
  const started = interview.startedAt === null ? null : Date.parse(interview.startedAt)
  const end = interview.endedAt === null ? input.now : Date.parse(interview.endedAt)
  const firstRun = runs[0] === undefined ? null : Date.parse(runs[0].info.createdAt)
  const last = runs.at(-1)
  const switches = events.flatMap((e) =>
    e.event.kind === 'language' ? [{ at: e.at, ...e.event }] : [],
  )
  return {
    durationMs: started === null ? null : Math.max(0, end - started),
    timeToFirstRunMs:
      started === null || firstRun === null ? null : Math.max(0, firstRun - started),
    runs: runs.length,
    passingRuns: runs.filter((r) => r.summary?.verdict === 'passed').length,
    lastVerdict: last?.summary?.verdict ?? null,
    timePerLanguage:
      started === null ? [] : timePerLanguage({ switches, started, end, now: interview.language }),
    languageSwitches: switches.length,
    signals: signalCounts(events),
  }
}

function signalCounts(events: readonly TimelineEventRecord[]): ReportSummary['signals'] {
  const counts = { pastes: 0, focusLosses: 0, largeInserts: 0, dropped: 0 }
  for (const { event } of events) {
    if (event.kind !== 'signal') continue
    const { detail } = event
    switch (detail.kind) {
      case 'paste':
        counts.pastes++
        break
      case 'focus':
        if (detail.state === 'lost') counts.focusLosses++
        break
      case 'largeInsert':
        counts.largeInserts++
        break
      case 'dropped':
        counts.dropped += detail.count
        break
    }
  }
  return counts
}

interface Spans {
  switches: { at: number; from: LanguageId; to: LanguageId }[]
  started: number
  end: number
  /** The language the room is in now: the first one when nobody switched. */
  now: LanguageId
}

/** Each language's share of the time from the start to the end, in the order first used. */
function timePerLanguage(s: Spans): ReportSummary['timePerLanguage'] {
  const totals = new Map<LanguageId, number>()
  let language = s.switches[0]?.from ?? s.now
  let since = s.started
  const add = (until: number): void => {
    totals.set(language, (totals.get(language) ?? 0) + Math.max(0, Math.min(until, s.end) - since))
  }
  for (const change of s.switches) {
    if (change.at <= s.started) {
      language = change.to
      continue
    }
    add(change.at)
    language = change.to
    since = Math.max(since, Math.min(change.at, s.end))
  }
  add(s.end)
  return [...totals].map(([lang, ms]) => ({ language: lang, ms }))
}
