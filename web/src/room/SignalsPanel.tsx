/**
 * Integrity signals in the room (issue 9.4). Interviewers see every signal as it happens, each at
 * its time on the interview clock, with a toast for the newest; candidates see, instead, exactly
 * what their interviewer sees. Facts, not verdicts: nothing here is scored or flagged.
 */
import { useEffect, useState } from 'react'
import type { RoomState } from '../../../protocol/realtime.ts'
import { describeSignal, signalDisclosure, type Signal } from '../../../protocol/signals.ts'
import { formatDuration } from './interviewClock.ts'

/** How long a toast for a new signal stays up, ms. */
const toastMs = 6000

/** The candidate's line: what is recorded and shown to the interviewer. */
export function SignalDisclosure() {
  return (
    <p className="signal-disclosure small" data-testid="signal-disclosure">
      {signalDisclosure}
    </p>
  )
}

export function SignalsPanel({
  signals,
  latest,
  clock,
}: {
  signals: readonly Signal[]
  latest: { id: number; signal: Signal } | null
  clock: RoomState['clock'] | null
}) {
  return (
    <section className="problem-section signals-panel" data-testid="signals">
      <h2>
        Signals <span className="muted small">({signals.length})</span>
      </h2>
      <p className="muted small">
        Facts as they happen, not judgements. The candidate was told what you see here.
      </p>
      {signals.length === 0 ? (
        <p className="muted small" data-testid="signals-empty">
          None yet.
        </p>
      ) : (
        <ol className="signals-list">
          {signals.map((signal, i) => (
            <li key={`${signal.at}-${i}`} data-testid="signal" data-kind={signal.detail.kind}>
              <span className="mono muted">{clockTime(signal.at, clock)}</span> <b>{signal.name}</b>{' '}
              {describeSignal(signal.detail)}
            </li>
          ))}
        </ol>
      )}
      <SignalToast latest={latest} />
    </section>
  )
}

function SignalToast({ latest }: { latest: { id: number; signal: Signal } | null }) {
  const [shown, setShown] = useState<number | null>(null)
  const id = latest?.id ?? null
  useEffect(() => {
    if (id === null) return
    setShown(id)
    const timer = setTimeout(() => setShown(null), toastMs)
    return () => clearTimeout(timer)
  }, [id])
  if (latest === null || shown !== latest.id) return null
  return (
    <div className="signal-toast" role="status" data-testid="signal-toast">
      <b>{latest.signal.name}</b> {describeSignal(latest.signal.detail)}
      <button type="button" className="btn-link" onClick={() => setShown(null)}>
        Dismiss
      </button>
    </div>
  )
}

/** The signal's time on the interview clock (since the candidate first entered), `m:ss`. */
function clockTime(at: string, clock: RoomState['clock'] | null): string {
  if (clock?.startedAt == null) return '–:––'
  return formatDuration(Math.max(0, Date.parse(at) - Date.parse(clock.startedAt)))
}
