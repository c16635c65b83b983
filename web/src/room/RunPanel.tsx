/**
 * The lower right of the room: the Run button (also Ctrl/Cmd+Enter) and, while a run is in flight,
 * the Stop button, the results of the room's latest run as everyone sees it, its console output,
 * and the custom input form.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { RoomView } from '../../../protocol/api.ts'
import { languageFacts, sourceTooLargeMessage } from '../../../protocol/languages.ts'
import type { RunStartPayload } from '../../../protocol/realtime.ts'
import { errorMessage } from '../api/apiClient.ts'
import { consoleLines, runInFlight } from '../run/runReducer.ts'
import { CustomInputForm } from './CustomInputForm.tsx'
import { ResultsView } from './ResultsView.tsx'
import type { RoomConnection, RoomSnapshot } from './RoomConnection.ts'

export type RunTab = 'results' | 'console' | 'custom'

export interface RunControls {
  runTests: () => void
  runCustom: (payload: Extract<RunStartPayload, { mode: 'custom' }>) => void
  /** Cancels the run in flight for everyone; a no-op when there is none. */
  stop: () => void
  /** A run is starting, queued or running: the server would refuse another. */
  busy: boolean
  /** The run in flight that Stop would cancel, once its id is known. */
  inFlight: string | null
  /** Stop was pressed for the run in flight; its `exit` has not arrived yet. */
  stopping: boolean
  /** Why the Run button is disabled, when it is, for its tooltip. */
  disabledReason: string | null
  /** The shared file is over the language's source limit: the words the engines would use. */
  sourceTooLarge: string | null
  error: string | null
  tab: RunTab
  setTab: (tab: RunTab) => void
}

export function useRunControls(
  connection: RoomConnection,
  snapshot: RoomSnapshot,
  view: RoomView,
): RunControls {
  const [starting, setStarting] = useState(false)
  const [stopped, setStopped] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [tab, setTab] = useState<RunTab>('results')
  const inFlight = runInFlight(snapshot.run, snapshot.roomState?.activeRun ?? null)
  const busy = starting || inFlight !== null
  const language = snapshot.roomState?.language
  const sourceLimit = language === undefined ? undefined : view.limits[language]?.sourceBytes
  const sourceTooLarge = useSourceTooLarge(
    connection.files,
    snapshot.roomState?.activeFile ?? null,
    sourceLimit,
  )
  const disabledReason = snapshot.outdated
    ? 'Tandem was updated: reload the page to run'
    : snapshot.roomState?.status === 'ended'
      ? 'This interview has ended'
      : snapshot.roomState?.runsDisabled === true && view.role === 'candidate'
        ? 'The interviewer has turned runs off for now'
        : snapshot.socket !== 'connected'
          ? 'Reconnecting to the server…'
          : snapshot.roomState === null
            ? 'Joining the room…'
            : busy
              ? 'A run is in progress'
              : sourceTooLarge
  const blocked = useRef(disabledReason !== null)
  blocked.current = disabledReason !== null

  const start = useCallback(
    async (payload: RunStartPayload): Promise<void> => {
      if (blocked.current) return
      blocked.current = true
      setStarting(true)
      setError(null)
      setTab('results')
      try {
        await connection.startRun(payload)
      } catch (caught) {
        setError(errorMessage(caught))
      } finally {
        setStarting(false)
      }
    },
    [connection],
  )
  const runTests = useCallback(() => void start({ mode: 'tests' }), [start])
  const runCustom = useCallback(
    (payload: Extract<RunStartPayload, { mode: 'custom' }>) => void start(payload),
    [start],
  )
  const stop = useCallback(() => {
    if (inFlight === null) return
    setStopped(inFlight)
    setError(null)
    connection.cancelRun(inFlight).catch((caught: unknown) => {
      setStopped(null)
      setError(errorMessage(caught))
    })
  }, [connection, inFlight])
  return {
    runTests,
    runCustom,
    stop,
    busy,
    inFlight,
    stopping: inFlight !== null && stopped === inFlight,
    disabledReason,
    sourceTooLarge,
    error,
    tab,
    setTab,
  }
}

/**
 * The engines' words for the shared file at `path` when it is over `limit` UTF-8 bytes, else null;
 * follows every edit. Only a text that could be over (3 bytes per UTF-16 unit at most) is encoded.
 */
function useSourceTooLarge(
  files: Y.Map<Y.Text>,
  path: string | null,
  limit: number | undefined,
): string | null {
  const [message, setMessage] = useState<string | null>(null)
  useEffect(() => {
    if (path === null || limit === undefined) {
      setMessage(null)
      return
    }
    const encoder = new TextEncoder()
    const check = (): void => {
      const text = files.get(path)?.toJSON() ?? ''
      const bytes = text.length * 3 <= limit ? 0 : encoder.encode(text).length
      setMessage(bytes > limit ? sourceTooLargeMessage(bytes, limit) : null)
    }
    check()
    files.observeDeep(check)
    return () => files.unobserveDeep(check)
  }, [files, path, limit])
  return message
}

export interface RunPanelProps {
  connection: RoomConnection
  snapshot: RoomSnapshot
  view: RoomView
  controls: RunControls
}

export function RunPanel({ connection, snapshot, view, controls }: RunPanelProps) {
  const { runTests, tab, setTab } = controls
  // Ctrl/Cmd+Enter anywhere in the room; inside Monaco its own keybinding handles it first.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented)
        return
      event.preventDefault()
      runTests()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [runTests])

  const run = snapshot.run.run
  const consoleBlocks = run === null ? [] : consoleLines(run)
  const language = snapshot.roomState?.language
  const shortcut = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘↵' : 'Ctrl+↵'
  const notice = snapshot.notice

  return (
    <section className="run-panel" aria-label="Run">
      <div className="run-bar">
        <button
          type="button"
          className="btn btn-primary btn-run"
          data-testid="run-button"
          data-busy={controls.busy}
          disabled={controls.disabledReason !== null}
          title={controls.disabledReason ?? `Run the tests (${shortcut})`}
          onClick={runTests}
        >
          {controls.busy ? (
            <span className="spinner spinner-small" aria-hidden="true" />
          ) : (
            <span aria-hidden="true">▶</span>
          )}
          Run tests
          <kbd>{shortcut}</kbd>
        </button>
        {/* Anyone in the room may stop the room's run, whoever started it. */}
        {controls.inFlight === null ? null : (
          <button
            type="button"
            className="btn btn-danger btn-stop"
            data-testid="stop-button"
            disabled={controls.stopping || snapshot.socket !== 'connected'}
            title="Stop this run for everyone"
            onClick={controls.stop}
          >
            <span aria-hidden="true">■</span>
            {controls.stopping ? 'Stopping…' : 'Stop'}
          </button>
        )}
        <div className="tabs" role="tablist">
          <TabButton tab="results" current={tab} onSelect={setTab}>
            Results
          </TabButton>
          <TabButton tab="console" current={tab} onSelect={setTab}>
            Console
            {consoleBlocks.length > 0 ? (
              <span className="tab-count">{consoleBlocks.length}</span>
            ) : null}
          </TabButton>
          <TabButton tab="custom" current={tab} onSelect={setTab}>
            Custom input
          </TabButton>
        </div>
        <div className="topbar-spacer" />
        {language === undefined ? null : (
          <span className="muted small">{languageFacts[language].name}</span>
        )}
      </div>
      {controls.error === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="run-error">
          {controls.error}
        </div>
      )}
      {controls.sourceTooLarge === null ? null : (
        <div className="notice notice-warning" role="status" data-testid="source-too-large">
          {controls.sourceTooLarge} Shorten it to run.
        </div>
      )}
      {notice === null ? null : (
        <div className="notice notice-warning" role="status" data-testid="room-notice">
          {notice.message}
          <button
            type="button"
            className="btn-link"
            onClick={() => connection.dismissNotice(notice.id)}
          >
            Dismiss
          </button>
        </div>
      )}
      {/* All three stay mounted so typed custom input and expanded rows survive tab switches. */}
      <div className="run-output" role="tabpanel" hidden={tab !== 'results'}>
        <ResultsView run={run} role={view.role} />
      </div>
      <div className="run-output" role="tabpanel" hidden={tab !== 'console'}>
        <ConsoleView blocks={consoleBlocks} hasRun={run !== null} />
      </div>
      <div className="run-output" role="tabpanel" hidden={tab !== 'custom'}>
        <CustomInputForm
          challenge={view.challenge}
          disabledReason={controls.disabledReason}
          onRun={controls.runCustom}
        />
      </div>
    </section>
  )
}

function TabButton({
  tab,
  current,
  onSelect,
  children,
}: {
  tab: RunTab
  current: RunTab
  onSelect: (tab: RunTab) => void
  children: ReactNode
}) {
  return (
    <button
      type="button"
      role="tab"
      className="tab"
      aria-selected={tab === current}
      data-testid={`tab-${tab}`}
      onClick={() => onSelect(tab)}
    >
      {children}
    </button>
  )
}

function ConsoleView({
  blocks,
  hasRun,
}: {
  blocks: { title: string; text: string }[]
  hasRun: boolean
}) {
  if (blocks.length === 0) {
    return (
      <p className="muted empty">
        {hasRun ? 'The last run printed nothing.' : 'Console output of runs appears here.'}
      </p>
    )
  }
  return (
    <div className="console" data-testid="console">
      {blocks.map((block, i) => (
        <div key={i} className="console-block">
          <div className="console-title">{block.title}</div>
          <pre className="mono">{block.text}</pre>
        </div>
      ))}
    </div>
  )
}
