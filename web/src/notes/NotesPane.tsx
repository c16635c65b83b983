/**
 * The interviewers' private notes beside the code: a Markdown editor every interviewer in the
 * room types in together (Monaco bound to the notes document's Y.Text, so remote carets, undo
 * and the binding are the code editor's own), a rendered preview, and the line comments. A note
 * is stamped with the interview clock (Stamp, or Ctrl/Cmd+Enter in the notes) so it can be read
 * against the replay. Read-only once the interview ended. Never mounted for a candidate.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { clockStamp, maxCommentLength, type NoteComment } from '../../../protocol/notes.ts'
import type { RoomState } from '../../../protocol/realtime.ts'
import type { EditorBinding } from '../editor/EditorBinding.ts'
import type { MonacoKit } from '../editor/loadMonaco.ts'
import { MarkdownPreview } from './MarkdownPreview.tsx'
import type { CommentDraft, NotesConnection } from './NotesConnection.ts'
import './notes.css'

type Editor = ReturnType<MonacoKit['monaco']['editor']['create']>

export interface NotesPaneProps {
  notes: NotesConnection
  kit: MonacoKit | null
  /** The room's clock; null until the first room state. */
  clock: RoomState['clock'] | null
  /** The interview ended: notes and comments are shown, not edited. */
  readOnly: boolean
  /** A comment being written on the code editor's selection, if any. */
  draft: CommentDraft | null
  onDraftDone: () => void
  /** The comments a click on a margin marker picked; highlighted in the list. */
  selected: readonly string[]
}

export function NotesPane(props: NotesPaneProps) {
  const { notes, kit, clock, readOnly, draft, onDraftDone, selected } = props
  const snapshot = useSyncExternalStore(notes.subscribe, notes.getSnapshot)
  const [tab, setTab] = useState<'write' | 'preview'>('write')
  const [editor, setEditor] = useState<Editor | null>(null)
  const host = useRef<HTMLDivElement>(null)
  const clockRef = useRef(clock)
  useEffect(() => {
    clockRef.current = clock
  })
  const stamp = (): void => {
    if (editor !== null && !readOnly) insertStamp(editor, clockStampNow(clockRef.current))
  }
  const stampRef = useRef(stamp)
  useEffect(() => {
    stampRef.current = stamp
  })

  useEffect(() => {
    if (kit === null || host.current === null) return
    const { monaco } = kit
    const created = monaco.editor.create(host.current, {
      ...kit.editorOptions,
      fontSize: 13,
      tabSize: 2,
      lineNumbers: 'off',
      wordWrap: 'on',
      folding: false,
      glyphMargin: false,
      lineDecorationsWidth: 8,
      renderLineHighlight: 'none',
      quickSuggestions: false,
      wordBasedSuggestions: 'off',
      padding: { top: 20 },
      ariaLabel: 'Interview notes (Markdown)',
    })
    const stampAction = created.addAction({
      id: 'tandem.stampNote',
      label: 'New note stamped with the interview clock',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => stampRef.current(),
    })
    const cursors = new kit.RemoteCursorStyles(notes.awareness)
    const binding: EditorBinding = new kit.EditorBinding({
      monaco,
      editor: created,
      text: notes.text,
      awareness: notes.awareness,
      language: 'markdown',
      path: 'interviewer-notes.md',
    })
    setEditor(created)
    return () => {
      binding.close()
      cursors.close()
      stampAction.dispose()
      created.dispose()
      setEditor(null)
    }
  }, [kit, notes])

  useEffect(() => {
    editor?.updateOptions({
      readOnly,
      readOnlyMessage: { value: 'This interview has ended — the notes are read-only' },
    })
  }, [editor, readOnly])

  const open = snapshot.comments.filter((c) => c.resolved === null)
  const resolved = snapshot.comments.filter((c) => c.resolved !== null)
  return (
    <aside className="notes-pane" data-testid="notes-pane" aria-label="Interviewer notes">
      <div className="notes-header">
        <h2 className="notes-title">Notes</h2>
        <span className="notes-private">Interviewers only</span>
        <div className="notes-tabs" role="tablist">
          {(['write', 'preview'] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              className="notes-tab"
              aria-selected={tab === name}
              data-testid={`notes-tab-${name}`}
              onClick={() => setTab(name)}
            >
              {name === 'write' ? 'Write' : 'Preview'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn-small"
          data-testid="notes-stamp"
          disabled={readOnly || editor === null || tab !== 'write'}
          title="Start a note stamped with the interview clock (Ctrl/Cmd+Enter)"
          onClick={stamp}
        >
          Stamp
        </button>
      </div>
      <div className="notes-body" data-tab={tab}>
        <div
          ref={host}
          className="notes-editor"
          data-testid="notes-editor"
          data-synced={snapshot.synced}
          hidden={tab !== 'write'}
        />
        {tab === 'preview' ? <LivePreview notes={notes} /> : null}
      </div>
      {draft === null || readOnly ? null : (
        <CommentForm key={draft.anchor.start} notes={notes} draft={draft} onDone={onDraftDone} />
      )}
      <CommentList
        notes={notes}
        open={open}
        resolved={resolved}
        readOnly={readOnly}
        selected={selected}
      />
    </aside>
  )
}

/** The preview, rendered again whenever anyone changes the notes. */
function LivePreview({ notes }: { notes: NotesConnection }) {
  const [markdown, setMarkdown] = useState(() => notes.text.toJSON())
  useEffect(() => {
    const update = (): void => setMarkdown(notes.text.toJSON())
    notes.text.observe(update)
    update()
    return () => notes.text.unobserve(update)
  }, [notes])
  return (
    <div className="notes-preview" data-testid="notes-preview">
      <MarkdownPreview markdown={markdown} />
    </div>
  )
}

function CommentForm({
  notes,
  draft,
  onDone,
}: {
  notes: NotesConnection
  draft: CommentDraft
  onDone: () => void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const save = (): void => {
    try {
      notes.addComment(draft, text)
      onDone()
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
    }
  }
  return (
    <form
      className="comment-form"
      data-testid="comment-form"
      onSubmit={(event) => {
        event.preventDefault()
        save()
      }}
    >
      <div className="comment-where">Comment on {linesLabel(draft.lines)}</div>
      {draft.quote.length > 0 ? <pre className="comment-quote">{draft.quote}</pre> : null}
      <textarea
        className="comment-input"
        data-testid="comment-input"
        autoFocus
        rows={3}
        maxLength={maxCommentLength}
        value={text}
        placeholder="What you noticed (only interviewers see it)"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            save()
          } else if (event.key === 'Escape') onDone()
        }}
      />
      {error === null ? null : (
        <div className="comment-error" role="alert">
          {error}
        </div>
      )}
      <div className="comment-actions">
        <button type="submit" className="btn btn-small btn-primary" data-testid="comment-save">
          Comment
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function CommentList({
  notes,
  open,
  resolved,
  readOnly,
  selected,
}: {
  notes: NotesConnection
  open: NoteComment[]
  resolved: NoteComment[]
  readOnly: boolean
  selected: readonly string[]
}) {
  const list = useRef<HTMLOListElement>(null)
  useEffect(() => {
    const first = selected[0]
    if (first === undefined) return
    list.current
      ?.querySelector(`[data-comment-id="${CSS.escape(first)}"]`)
      ?.scrollIntoView({ block: 'nearest' })
  }, [selected])
  const item = (comment: NoteComment) => (
    <li
      key={comment.id}
      className="comment"
      data-testid="comment"
      data-comment-id={comment.id}
      data-resolved={comment.resolved !== null}
      data-selected={selected.includes(comment.id)}
    >
      <div className="comment-meta">
        <span className="comment-author">{comment.author.name}</span>
        <span className="comment-path">{comment.path.split('/').pop()}</span>
      </div>
      {comment.quote.length > 0 ? <pre className="comment-quote">{comment.quote}</pre> : null}
      <p className="comment-text" data-testid="comment-text">
        {comment.text}
      </p>
      {readOnly ? null : (
        <div className="comment-actions">
          <button
            type="button"
            className="btn btn-small"
            data-testid="comment-resolve"
            onClick={() => notes.setResolved(comment.id, comment.resolved === null)}
          >
            {comment.resolved === null ? 'Resolve' : 'Reopen'}
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="comment-delete"
            onClick={() => notes.deleteComment(comment.id)}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  )
  if (open.length === 0 && resolved.length === 0) {
    return (
      <p className="comments-empty">
        Select code and press <strong>Comment</strong> to comment on it.
      </p>
    )
  }
  return (
    <section className="comments" aria-label="Line comments">
      <h3 className="comments-title">Comments ({open.length})</h3>
      <ol className="comment-list" ref={list}>
        {open.map(item)}
      </ol>
      {resolved.length === 0 ? null : (
        <details className="comments-resolved">
          <summary>Resolved ({resolved.length})</summary>
          <ol className="comment-list">{resolved.map(item)}</ol>
        </details>
      )}
    </section>
  )
}

function linesLabel(lines: CommentDraft['lines']): string {
  return lines.start === lines.end ? `line ${lines.start}` : `lines ${lines.start}–${lines.end}`
}

/** The stamp for now: the clock since the candidate first entered ([0:00] before that). */
function clockStampNow(clock: RoomState['clock'] | null): string {
  const started = clock?.startedAt == null ? null : Date.parse(clock.startedAt)
  return clockStamp(started === null ? 0 : Date.now() - started)
}

/**
 * Starts a note: the stamp at the start of the caret's line when it is empty, else on a new line
 * after it; the caret ends after the stamp.
 */
function insertStamp(editor: Editor, stamp: string): void {
  const model = editor.getModel()
  const position = editor.getPosition()
  if (model === null || position === null) return
  const line = position.lineNumber
  const empty = model.getLineContent(line).trim().length === 0
  const column = empty ? 1 : model.getLineMaxColumn(line)
  const text = `${empty ? '' : '\n'}${stamp} `
  const replaced = empty ? model.getLineMaxColumn(line) : column
  editor.executeEdits('tandem.stamp', [
    {
      range: {
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: replaced,
      },
      text,
      forceMoveMarkers: true,
    },
  ])
  const after = empty ? line : line + 1
  editor.setPosition({ lineNumber: after, column: stamp.length + 2 })
  editor.focus()
}
