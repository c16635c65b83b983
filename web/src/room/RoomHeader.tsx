/** The room's top bar: what this is, the shared language switch, who is here, and the links. */
import { useEffect, useState } from 'react'
import type { RoomView } from '../../../protocol/api.ts'
import type { RoomState } from '../../../protocol/realtime.ts'
import { isLanguageId, languageFacts, type LanguageId } from '../../../protocol/languages.ts'
import { api, errorMessage } from '../api/apiClient.ts'
import { routePath } from '../router/parseRoute.ts'
import { followLink, navigate } from '../router/useRoute.ts'
import { clockView } from './interviewClock.ts'
import { PeoplePanel } from './PeoplePanel.tsx'
import type { LinkStatus, PresenceEntry, RoomConnection, RoomSnapshot } from './RoomConnection.ts'

export interface RoomHeaderProps {
  connection: RoomConnection
  snapshot: RoomSnapshot
  view: RoomView
}

export function RoomHeader({ connection, snapshot, view }: RoomHeaderProps) {
  return (
    <header className="room-header">
      {view.role === 'interviewer' ? (
        <a className="brand" href="/" onClick={followLink} title="Back to the lobby">
          Tandem
        </a>
      ) : (
        <span className="brand">Tandem</span>
      )}
      <div className="room-title">
        <span className="strong" data-testid="room-title">
          {view.title}
        </span>
        {/* The challenge under the interview's own title, unless that title is the challenge's. */}
        {view.title === view.challenge.title ? null : (
          <span className="muted small">{view.challenge.title}</span>
        )}
      </div>
      <LanguageSwitch connection={connection} snapshot={snapshot} view={view} />
      {snapshot.roomState === null ? null : <InterviewClock clock={snapshot.roomState.clock} />}
      <div className="topbar-spacer" />
      <Presence entries={snapshot.presence} />
      {view.role === 'interviewer' ? (
        <PeoplePanel
          interviewId={view.interviewId}
          presence={snapshot.presence}
          open={snapshot.roomState?.status === 'open'}
        />
      ) : null}
      <ConnectionIndicator
        collab={snapshot.collab}
        synced={snapshot.synced}
        socket={snapshot.socket}
      />
      {view.role === 'interviewer' && snapshot.roomState?.status === 'open' ? (
        <>
          <LockButton interviewId={view.interviewId} locked={snapshot.roomState.locked} />
          <RunsButton
            interviewId={view.interviewId}
            runsDisabled={snapshot.roomState.runsDisabled}
          />
        </>
      ) : null}
      {view.role === 'interviewer' ? (
        <a
          className="btn btn-small btn-ghost"
          href={routePath({ name: 'report', interviewId: view.interviewId })}
          onClick={followLink}
          data-testid="open-report"
        >
          Report
        </a>
      ) : null}
      {view.role === 'interviewer' ? <EndInterviewButton interviewId={view.interviewId} /> : null}
    </header>
  )
}

function LanguageSwitch({ connection, snapshot, view }: RoomHeaderProps) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const state = snapshot.roomState
  const infos = state?.languages ?? view.languages
  // Only languages this challenge has a validated reference solution in.
  const options = view.challenge.languages.map((id) => {
    const info = infos.find((l) => l.id === id)
    return {
      id,
      label: info === undefined ? languageFacts[id].name : info.name,
      available: info?.available ?? false,
      reason: info?.reason,
    }
  })
  const change = async (language: LanguageId): Promise<void> => {
    setPending(true)
    setError(null)
    try {
      await connection.setLanguage(language)
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setPending(false)
    }
  }
  return (
    <div className="language-switch">
      <label className="sr-only" htmlFor="room-language">
        Language
      </label>
      <select
        id="room-language"
        className="input input-small"
        data-testid="language-select"
        value={state?.language ?? ''}
        disabled={
          state === null ||
          pending ||
          state.status === 'ended' ||
          (state.locked && view.role === 'candidate')
        }
        title="Changes the language for everyone in the room"
        onChange={(event) => {
          if (isLanguageId(event.target.value)) void change(event.target.value)
        }}
      >
        {state === null ? <option value="">…</option> : null}
        {options.map((option) => (
          <option
            key={option.id}
            value={option.id}
            disabled={!option.available}
            title={option.reason}
          >
            {option.label}
            {option.available ? '' : ' (unavailable)'}
          </option>
        ))}
      </select>
      {error === null ? null : (
        <span className="inline-error" role="alert" data-testid="language-error">
          {error}
        </span>
      )}
    </div>
  )
}

function Presence({ entries }: { entries: PresenceEntry[] }) {
  return (
    <ul className="presence" data-testid="presence" aria-label="People in the room">
      {entries.map((entry) => (
        <li
          key={entry.clientId}
          className="presence-user"
          data-testid="presence-user"
          data-role={entry.role}
          data-self={entry.self}
          title={`${entry.name} (${entry.role}${entry.self ? ', you' : ''})`}
        >
          <span
            className="presence-dot"
            style={{ backgroundColor: entry.color }}
            aria-hidden="true"
          />
          <span className="presence-name">{entry.name}</span>
          {entry.self ? <span className="muted small">(you)</span> : null}
        </li>
      ))}
    </ul>
  )
}

function ConnectionIndicator({
  collab,
  synced,
  socket,
}: {
  collab: LinkStatus
  synced: boolean
  socket: LinkStatus
}) {
  const overall: 'online' | 'connecting' | 'offline' =
    collab === 'connected' && synced && socket === 'connected'
      ? 'online'
      : collab === 'disconnected' && socket === 'disconnected'
        ? 'offline'
        : 'connecting'
  const label = { online: 'Connected', connecting: 'Connecting…', offline: 'Offline' }[overall]
  const editorText = collab === 'connected' ? (synced ? 'synced' : 'syncing') : collab
  return (
    <div
      className={`connection connection-${overall}`}
      data-testid="connection-indicator"
      data-state={overall}
      data-collab={collab}
      data-synced={synced}
      data-socket={socket}
      role="status"
      title={`Editor: ${editorText} · Runs and room: ${socket}`}
    >
      <span className="connection-dot" aria-hidden="true" />
      {label}
      <span className="connection-detail">
        <span>editor {editorText}</span>
        <span>realtime {socket}</span>
      </span>
    </div>
  )
}

/**
 * Locks the editor for the candidate (their edits are dropped by the server) or unlocks it; the
 * room's next `room:state` shows the result, so the button holds no state of its own.
 */
function LockButton({ interviewId, locked }: { interviewId: string; locked: boolean }) {
  return (
    <ControlButton
      path={`/api/interviews/${encodeURIComponent(interviewId)}/lock`}
      body={{ locked: !locked }}
      pressed={locked}
      testId="lock-editor"
      label={locked ? 'Unlock editor' : 'Lock editor'}
      title={locked ? 'Let the candidate type again' : 'Stop the candidate from typing'}
    />
  )
}

/** Turns the candidate's runs off (they still see the interviewer's runs) or on again. */
function RunsButton({ interviewId, runsDisabled }: { interviewId: string; runsDisabled: boolean }) {
  return (
    <ControlButton
      path={`/api/interviews/${encodeURIComponent(interviewId)}/runs-enabled`}
      body={{ enabled: runsDisabled }}
      pressed={runsDisabled}
      testId="candidate-runs"
      label={runsDisabled ? 'Allow candidate runs' : 'Stop candidate runs'}
      title={
        runsDisabled ? 'Let the candidate run code again' : 'Only interviewers may run code for now'
      }
    />
  )
}

/** One interviewer control: posts `body` to `path`; the room's state shows the outcome. */
function ControlButton(props: {
  path: string
  body: object
  pressed: boolean
  testId: string
  label: string
  title: string
}) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const press = async (): Promise<void> => {
    setPending(true)
    setError(null)
    try {
      await api.post<unknown>(props.path, props.body)
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setPending(false)
    }
  }
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        data-testid={props.testId}
        aria-pressed={props.pressed}
        disabled={pending}
        title={props.title}
        onClick={() => void press()}
      >
        {props.label}
      </button>
      {error === null ? null : (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}

function EndInterviewButton({ interviewId }: { interviewId: string }) {
  const [error, setError] = useState<string | null>(null)
  const end = async (): Promise<void> => {
    if (!window.confirm('End this interview for everyone? The candidate link stops working.'))
      return
    try {
      await api.post<unknown>(`/api/interviews/${encodeURIComponent(interviewId)}/end`)
      navigate('/')
    } catch (caught) {
      setError(errorMessage(caught))
    }
  }
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-danger"
        data-testid="end-interview"
        onClick={() => void end()}
      >
        End interview
      </button>
      {error === null ? null : (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}

/** Elapsed time against the planned length, for everyone; amber in the last five minutes. */
function InterviewClock({ clock }: { clock: RoomState['clock'] }) {
  const [now, setNow] = useState(() => Date.now())
  const ticking = clock.startedAt !== null && clock.endedAt === null
  useEffect(() => {
    if (!ticking) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [ticking])
  const view = clockView(clock, now)
  return (
    <span
      className={`interview-clock clock-${view.phase}`}
      data-testid="interview-clock"
      data-phase={view.phase}
      role="timer"
      title="Time since the candidate joined, against the planned length"
    >
      {view.text}
    </span>
  )
}
