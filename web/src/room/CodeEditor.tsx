/**
 * The shared editor. One Monaco editor lives as long as the room; the file it shows is rebound
 * whenever `room:state` names another active file or language, and every binding is torn down
 * completely before the next one (see EditorBinding).
 */
import { useEffect, useRef, useState } from 'react'
import { markOnce, type MonacoKit } from '../editor/loadMonaco.ts'
import { errorMessage } from '../api/apiClient.ts'
import type { EditorBinding } from '../editor/EditorBinding.ts'
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
  } = props
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [boundFile, setBoundFile] = useState<string | null>(null)
  const [binding, setBinding] = useState<EditorBinding | null>(null)
  const [following, setFollowing] = useState(false)
  const runRef = useRef(onRun)
  useEffect(() => {
    runRef.current = onRun
  })

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
