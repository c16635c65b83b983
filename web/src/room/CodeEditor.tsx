/**
 * The shared editor. One Monaco editor lives as long as the room; the file it shows is rebound
 * whenever `room:state` names another active file or language, and every binding is torn down
 * completely before the next one (see EditorBinding).
 */
import { useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { anchorOf, type NoteComment } from '../../../protocol/notes.ts'
import { markOnce, type MonacoKit } from '../editor/loadMonaco.ts'
import { errorMessage } from '../api/apiClient.ts'
import type { CommentMarkers } from '../editor/CommentMarkers.ts'
import type { EditorBinding } from '../editor/EditorBinding.ts'
import type { CommentDraft } from '../notes/NotesConnection.ts'
import type { RoomConnection } from './RoomConnection.ts'

type Editor = ReturnType<MonacoKit['monaco']['editor']['create']>

export interface CodeEditorProps {
  kit: MonacoKit | null
  kitError: unknown
  connection: RoomConnection
  /** Key in the shared `files` map; null until the room state arrives. */
  file: string | null
  /** Monaco language id of the room's language. */
  monacoLanguage: string | null
  synced: boolean
  /**
   * The interview has ended, or the editor is locked for this candidate: the editor shows the
   * code but takes no typing (the server drops edits).
   */
  readOnly: boolean
  /** What Monaco says when somebody types while `readOnly`. */
  readOnlyMessage: string
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun: () => void
  /** Offer "Follow candidate" (interviewers): the editor scrolls with the candidate's caret. */
  canFollow: boolean
  /** Interviewers only: line comments in the margin, and a Comment button for the selection. */
  comments?: CodeComments | undefined
  /**
   * Candidates only: a paste landed in the bound file (an integrity signal: how much, and where;
   * never the text itself).
   */
  onPaste?: ((paste: PastedText) => void) | undefined
}

/** A paste as the editor saw it: the file, its size and the line it starts on (1-based). */
export interface PastedText {
  path: string
  chars: number
  lines: number
  line: number
}

/** What the code editor needs of the interviewers' line comments (see NotesPane). */
export interface CodeComments {
  list: readonly NoteComment[]
  /** False once the interview ended: comments are shown, not added. */
  canAdd: boolean
  /** The interviewer asked to comment on the selection (or the caret's line). */
  onDraft: (draft: CommentDraft) => void
  /** A click on a margin marker: the comments on that line. */
  onSelect: (ids: string[]) => void
}

/** How long after the editor is usable the TS/JS language service starts loading, ms. */
const languageServiceDelayMs = 300

export function CodeEditor(props: CodeEditorProps) {
  const {
    kit,
    kitError,
    connection,
    file,
    monacoLanguage,
    synced,
    readOnly,
    readOnlyMessage,
    onRun,
    canFollow,
    comments,
    onPaste,
  } = props
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [boundFile, setBoundFile] = useState<string | null>(null)
  const [binding, setBinding] = useState<EditorBinding | null>(null)
  const [following, setFollowing] = useState(false)
  const runRef = useRef(onRun)
  const commentsRef = useRef(comments)
  const pasteRef = useRef(onPaste)
  useEffect(() => {
    runRef.current = onRun
    commentsRef.current = comments
    pasteRef.current = onPaste
  })
  const [markers, setMarkers] = useState<CommentMarkers | null>(null)
  const commenting = comments !== undefined

  useEffect(() => {
    if (kit === null || host.current === null) return
    const { monaco } = kit
    const created = monaco.editor.create(host.current, kit.editorOptions)
    const runAction = created.addAction({
      id: 'tandem.runTests',
      label: 'Run tests',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => runRef.current(),
    })
    const cursors = new kit.RemoteCursorStyles(connection.awareness)
    markOnce('tandem:editor-created')
    setEditor(created)
    return () => {
      cursors.close()
      runAction.dispose()
      created.dispose()
      setEditor(null)
    }
  }, [kit, connection])

  useEffect(() => {
    editor?.updateOptions({
      readOnly,
      readOnlyMessage: { value: readOnlyMessage },
    })
  }, [editor, readOnly, readOnlyMessage])

  useEffect(() => {
    if (kit === null || editor === null || file === null || monacoLanguage === null) return
    let serviceTimer: ReturnType<typeof setTimeout> | undefined
    const binding = kit.bindSharedFile({
      monaco: kit.monaco,
      editor,
      awareness: connection.awareness,
      files: connection.files,
      language: monacoLanguage,
      path: file,
      onBound: (bound) => {
        markOnce('tandem:editor-ready')
        setBoundFile(file)
        setBinding(bound)
        if (monacoLanguage === 'typescript' || monacoLanguage === 'javascript') {
          // After the first paint of the code, not before: the service is a large download.
          serviceTimer = setTimeout(() => void kit.loadTypeScriptService(), languageServiceDelayMs)
        }
      },
    })
    return () => {
      clearTimeout(serviceTimer)
      binding.close()
      setBoundFile(null)
      setBinding(null)
    }
  }, [kit, editor, connection, file, monacoLanguage])

  useEffect(() => {
    editor?.updateOptions({ glyphMargin: commenting })
  }, [editor, commenting])

  // The range Monaco reports is the pasted text as it now stands in the model.
  const reportsPastes = onPaste !== undefined
  useEffect(() => {
    if (editor === null || boundFile === null || !reportsPastes) return
    const subscription = editor.onDidPaste(({ range }) => {
      const model = editor.getModel()
      if (model === null) return
      pasteRef.current?.({
        path: boundFile,
        chars: model.getValueInRange(range).length,
        lines: range.endLineNumber - range.startLineNumber + 1,
        line: range.startLineNumber,
      })
    })
    return () => subscription.dispose()
  }, [editor, boundFile, reportsPastes])

  // Markers for the bound file; drawn again whenever the comments change.
  useEffect(() => {
    const text = boundFile === null ? undefined : connection.files.get(boundFile)
    if (kit === null || editor === null || !commenting || boundFile === null || text === undefined)
      return
    const created = new kit.CommentMarkers({
      monaco: kit.monaco,
      editor,
      text,
      path: boundFile,
      onSelect: (ids) => commentsRef.current?.onSelect(ids),
    })
    setMarkers(created)
    return () => {
      created.close()
      setMarkers(null)
    }
  }, [kit, editor, connection, boundFile, commenting])

  const list = comments?.list
  useEffect(() => {
    if (markers !== null && list !== undefined) markers.show([...list])
  }, [markers, list])

  const canAddComment = comments?.canAdd === true
  useEffect(() => {
    if (kit === null || editor === null || !canAddComment) return
    const action = editor.addAction({
      id: 'tandem.commentOnSelection',
      label: 'Comment on selection',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      run: () => requestDraftRef.current(),
    })
    return () => action.dispose()
  }, [kit, editor, canAddComment])

  const requestDraft = (): void => {
    const text = boundFile === null ? undefined : connection.files.get(boundFile)
    if (editor === null || boundFile === null || text === undefined) return
    const draft = draftFromSelection(editor, text, boundFile)
    if (draft !== null) commentsRef.current?.onDraft(draft)
  }
  const requestDraftRef = useRef(requestDraft)
  useEffect(() => {
    requestDraftRef.current = requestDraft
  })

  useEffect(() => {
    if (binding === null || !following) return
    binding.follow('candidate')
    return () => binding.follow(null)
  }, [binding, following])

  const ready = boundFile !== null && boundFile === file
  const waiting =
    kitError !== null
      ? null
      : kit === null
        ? 'Loading the editor…'
        : file === null
          ? 'Connecting to the room…'
          : !ready
            ? synced
              ? 'Waiting for the shared file…'
              : 'Syncing the shared code…'
            : null
  return (
    <div className="editor-pane">
      <div
        ref={host}
        className="editor-host"
        data-testid="editor"
        data-ready={ready}
        data-readonly={readOnly}
        data-file={ready ? file : undefined}
      />
      <div className="editor-tools">
        {canAddComment && ready ? (
          <button
            type="button"
            className="btn btn-small comment-toggle"
            data-testid="add-comment"
            title="Comment on the selected code (or the caret's line); only interviewers see it"
            // Keep the editor's selection: a click would otherwise move focus first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={requestDraft}
          >
            Comment
          </button>
        ) : null}
        {canFollow ? (
          <button
            type="button"
            className="btn btn-small follow-toggle"
            aria-pressed={following}
            data-testid="follow-candidate"
            title="Scroll with the candidate's cursor"
            onClick={() => setFollowing(!following)}
          >
            {following ? 'Following candidate' : 'Follow candidate'}
          </button>
        ) : null}
      </div>
      {kitError === null ? null : (
        <div className="editor-overlay" role="alert">
          <div>The editor failed to load: {errorMessage(kitError)}</div>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      )}
      {waiting === null ? null : (
        <div className="editor-overlay" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          {waiting}
        </div>
      )}
    </div>
  )
}

/**
 * A comment draft on the editor's selection, or on the caret's whole line when nothing is
 * selected (the common case: "this line"). A selection ending at the start of a line ends on the
 * line before.
 */
function draftFromSelection(editor: Editor, text: Y.Text, path: string): CommentDraft | null {
  const model = editor.getModel()
  const selection = editor.getSelection()
  if (model === null || selection === null) return null
  const range = selection.isEmpty()
    ? {
        startLineNumber: selection.startLineNumber,
        startColumn: 1,
        endLineNumber: selection.startLineNumber,
        endColumn: model.getLineMaxColumn(selection.startLineNumber),
      }
    : selection
  const from = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn })
  const to = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn })
  const endLine =
    range.endColumn === 1 && range.endLineNumber > range.startLineNumber
      ? range.endLineNumber - 1
      : range.endLineNumber
  return {
    path,
    anchor: anchorOf(text, from, to),
    quote: model.getValueInRange(range),
    lines: { start: range.startLineNumber, end: endLine },
  }
}
