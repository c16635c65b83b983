/**
 * The interview clock everyone in the room sees (RoomState.clock): time since the candidate first
 * entered, against the planned length, with a warning in the last five minutes.
 */
import type { RoomState } from '../../../protocol/realtime.ts'

/** The last stretch in which the clock warns, ms. */
export const warningMs = 5 * 60_000

export interface ClockView {
  text: string
  /** notStarted: the candidate has not entered; warning: five minutes or less left; over: past. */
  phase: 'notStarted' | 'running' | 'warning' | 'over' | 'ended'
}

export function clockView(clock: RoomState['clock'], now: number): ClockView {
  const planned = clock.plannedMinutes * 60_000
  const plan = formatDuration(planned)
  if (clock.startedAt === null) {
    return clock.endedAt === null
      ? { text: `Starts when the candidate joins · ${plan}`, phase: 'notStarted' }
      : { text: `Never started · ${plan}`, phase: 'ended' }
  }
  const started = Date.parse(clock.startedAt)
  const end = clock.endedAt === null ? now : Date.parse(clock.endedAt)
  const elapsed = Math.max(0, end - started)
  const text = `${formatDuration(elapsed)} / ${plan}`
  if (clock.endedAt !== null)
    return { text: `Took ${formatDuration(elapsed)} · ${plan}`, phase: 'ended' }
  if (elapsed >= planned) return { text: `${text} · over time`, phase: 'over' }
  if (planned - elapsed <= warningMs) {
    const left = Math.ceil((planned - elapsed) / 60_000)
    return { text: `${text} · ${left} min left`, phase: 'warning' }
  }
  return { text, phase: 'running' }
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const ss = String(seconds).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`
}
