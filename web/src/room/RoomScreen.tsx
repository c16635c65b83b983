/**
 * The interview room: problem on the left, the shared editor and the run results on the right.
 * Interviewer and candidate get the same screen; the server decides what each may see (hidden
 * tests) and this renders what it sends.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { RoomTicket, RoomView } from '../../../protocol/api.ts'
import { languageFacts } from '../../../protocol/languages.ts'
import { loadMonaco, type MonacoKit } from '../editor/loadMonaco.ts'
import { NotesConnection, type CommentDraft } from '../notes/NotesConnection.ts'
import { NotesPane } from '../notes/NotesPane.tsx'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import { CodeEditor, type CodeComments, type PastedText } from './CodeEditor.tsx'
import { PaneSplitter } from './PaneSplitter.tsx'
import { ProblemPane } from './ProblemPane.tsx'
import { ReloadNotice } from './ReloadNotice.tsx'
import { RoomHeader } from './RoomHeader.tsx'
import { RoomConnection, type RoomClosure } from './RoomConnection.ts'
import { RunPanel, useRunControls } from './RunPanel.tsx'
import { SignalDisclosure, SignalsPanel } from './SignalsPanel.tsx'
import './room.css'

export interface RoomScreenProps {
  ticket: RoomTicket
  view: RoomView
  /**
   * The server cut this participant off for a reason the room cannot tell apart (the interview
   * ended, or their access was revoked). The candidate page checks its join link again, which says
   * which; without this the room shows its own page.
   */
  onAccessLost?: () => void
}

export function RoomScreen({ ticket, view, onAccessLost }: RoomScreenProps) {
  const [connections, setConnections] = useState<{
    room: RoomConnection
    notes: NotesConnection | null
  } | null>(null)
  useEffect(() => {
    const room = new RoomConnection(ticket)
    // The notes document is the interviewers' own: a candidate's page never opens it (and the
    // server would refuse the upgrade).
    const notes = ticket.participant.role === 'interviewer' ? new NotesConnection(ticket) : null
    setConnections({ room, notes })
    return () => {
      notes?.close()
      room.close()
    }
  }, [ticket])
  if (connections === null) return null
  return (
    <Room
      connection={connections.room}
      notes={connections.notes}
      view={view}
      onAccessLost={onAccessLost}
    />
  )
}

function Room({
  connection,
  notes,
  view,
  onAccessLost,
}: {
  connection: RoomConnection
  notes: NotesConnection | null
  view: RoomView
  onAccessLost: (() => void) | undefined
}) {
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const kit = useMonacoKit()
  const workPane = useRef<HTMLDivElement>(null)
  const controls = useRunControls(connection, snapshot, view)
  const comments = useCodeComments(notes, snapshot.roomState?.status === 'ended')
  const isCandidate = view.role === 'candidate'
  const reportPaste = useCallback(
    (paste: PastedText) => connection.reportSignal({ kind: 'paste', ...paste }),
    [connection],
  )

  if (snapshot.closed !== null) {
    return <ClosedRoom closure={snapshot.closed} role={view.role} onAccessLost={onAccessLost} />
  }
  const language = snapshot.roomState?.language ?? null
  // Candidates are sent away when it ends; interviewers stay to review, read-only.
  const ended = snapshot.roomState?.status === 'ended'
  // A locked editor binds the candidate only: the server drops their edits, so take no typing.
  const lockedForMe = view.role === 'candidate' && snapshot.roomState?.locked === true
  return (
    <div className="room" data-testid="room" data-role={view.role} data-notes={notes !== null}>
      {snapshot.outdated ? <ReloadNotice /> : null}
      <RoomHeader connection={connection} snapshot={snapshot} view={view} />
      {ended ? (
        <div className="notice notice-warning" role="status" data-testid="ended-notice">
          This interview has ended — read-only
        </div>
      ) : lockedForMe ? (
        <div className="notice notice-warning" role="status" data-testid="locked-notice">
          The interviewer has locked the editor — read-only for now
        </div>
      ) : null}
      <div className="room-body">
        <ProblemPane view={view} language={language}>
          {isCandidate ? (
            <SignalDisclosure />
          ) : (
            <SignalsPanel
              signals={snapshot.signals}
              latest={snapshot.latestSignal}
              clock={snapshot.roomState?.clock ?? null}
            />
          )}
        </ProblemPane>
        <div className="work-pane" ref={workPane}>
          <CodeEditor
            kit={kit.value}
            kitError={kit.error}
            connection={connection}
            file={snapshot.roomState?.activeFile ?? null}
            monacoLanguage={language === null ? null : languageFacts[language].monaco}
            synced={snapshot.synced}
            readOnly={ended || lockedForMe}
            readOnlyMessage={
              ended
                ? 'This interview has ended — read-only'
                : 'The interviewer has locked the editor'
            }
            onRun={controls.runTests}
            canFollow={view.role === 'interviewer'}
            comments={comments.code}
            onPaste={isCandidate ? reportPaste : undefined}
          />
          <PaneSplitter pane={workPane} />
          <RunPanel connection={connection} snapshot={snapshot} view={view} controls={controls} />
        </div>
        {notes === null ? null : (
          <NotesPane
            notes={notes}
            kit={kit.value}
            clock={snapshot.roomState?.clock ?? null}
            readOnly={ended}
            draft={comments.draft}
            onDraftDone={comments.clearDraft}
            selected={comments.selected}
          />
        )}
      </div>
    </div>
  )
}

/** The line comments as the code editor and the notes pane share them; none for a candidate. */
function useCodeComments(
  notes: NotesConnection | null,
  ended: boolean,
): {
  code: CodeComments | undefined
  draft: CommentDraft | null
  clearDraft: () => void
  selected: readonly string[]
} {
  const snapshot = useSyncExternalStore(
    notes?.subscribe ?? noSubscription,
    notes?.getSnapshot ?? noNotes,
  )
  const [draft, setDraft] = useState<CommentDraft | null>(null)
  const [selected, setSelected] = useState<readonly string[]>([])
  const clearDraft = useCallback(() => setDraft(null), [])
  const code = useMemo<CodeComments | undefined>(
    () =>
      notes === null
        ? undefined
        : { list: snapshot.comments, canAdd: !ended, onDraft: setDraft, onSelect: setSelected },
    [notes, snapshot.comments, ended],
  )
  return { code, draft, clearDraft, selected }
}

const noSubscription = (): (() => void) => () => undefined
const emptyNotes = { synced: false, comments: [] }
const noNotes = (): typeof emptyNotes => emptyNotes

function useMonacoKit(): { value: MonacoKit | null; error: unknown } {
  const [state, setState] = useState<{ value: MonacoKit | null; error: unknown }>({
    value: null,
    error: null,
  })
  useEffect(() => {
    let current = true
    loadMonaco().then(
      (value) => current && setState({ value, error: null }),
      (error: unknown) => current && setState({ value: null, error }),
    )
    return () => {
      current = false
    }
  }, [])
  return state
}

function ClosedRoom({
  closure,
  role,
  onAccessLost,
}: {
  closure: RoomClosure
  role: RoomView['role']
  onAccessLost: (() => void) | undefined
}) {
  const recheck = closure.kind === 'revoked' && onAccessLost !== undefined
  useEffect(() => {
    if (recheck) onAccessLost()
  }, [recheck, onAccessLost])
  if (recheck) return <LoadingPage label="Checking the interview…" />
  const title =
    closure.kind === 'ended'
      ? 'This interview has ended'
      : closure.kind === 'revoked'
        ? 'You no longer have access to this room'
        : 'The room is unavailable'
  return (
    <StatusPage
      title={title}
      message={closure.message}
      homeLink={role === 'interviewer'}
      testId={closure.kind === 'ended' ? 'room-ended' : 'room-closed'}
    />
  )
}
