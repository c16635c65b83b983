/**
 * The lower right of the room: the Run button (also Ctrl/Cmd+Enter), the results of the room's
 * latest run as everyone sees it, its console output, and the custom input form.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import type { RoomView } from '../../../protocol/api.ts'
import { languageFacts } from '../../../protocol/languages.ts'
import type { RunStartPayload } from '../../../protocol/socket.ts'
import { errorMessage } from '../api/apiClient.ts'
import { consoleLines, isRunInFlight } from '../run/runReducer.ts'
import { CustomInputForm } from './CustomInputForm.tsx'
import { ResultsView } from './ResultsView.tsx'
import type { RoomConnection, RoomSnapshot } from './RoomConnection.ts'

export type RunTab = 'results' | 'console' | 'custom'

export interface RunControls {
  runTests: () => void
  runCustom: (payload: Extract<RunStartPayload, { mode: 'custom' }>) => void
  /** A run is starting, queued or running: the server would refuse another. */
  busy: boolean
  /** Why the Run button is disabled, when it is, for its tooltip. */
  disabledReason: string | null
  error: string | null
  tab: RunTab
  setTab: (tab: RunTab) => void
}

export function useRunControls(connection: RoomConnection, snapshot: RoomSnapshot): RunControls {
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [tab, setTab] = useState<RunTab>('results')
  const busy =
    starting || isRunInFlight(snapshot.run) || (snapshot.roomState?.activeRun ?? null) !== null
  const disabledReason =
    snapshot.socket !== 'connected'
      ? 'Reconnecting to the server…'
      : snapshot.roomState === null
        ? 'Joining the room…'
        : busy
          ? 'A run is in progress'
          : null
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
  return { runTests, runCustom, busy, disabledReason, error, tab, setTab }
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
