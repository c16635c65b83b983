/**
 * The interviewers' line comments drawn on the code editor: a margin marker (glyph) on the lines
 * each open comment points at, the commented code lightly highlighted, and the comment's text
 * on hover. Positions come from the comment's Yjs anchors resolved against the shared file (not
 * from Monaco's own decoration tracking), so every interviewer sees a comment on the same code.
 * `close()` removes the decorations and the listeners.
 */
import type { editor as MonacoEditor } from 'monaco-editor/esm/vs/editor/editor.api.js'
import type * as Y from 'yjs'
import { resolveAnchor, type NoteComment } from '../../../protocol/notes.ts'
import type { Monaco } from './monacoSetup.ts'

type CodeEditor = ReturnType<Monaco['editor']['create']>
type Decoration = MonacoEditor.IModelDeltaDecoration

export interface CommentMarkersOptions {
  monaco: Monaco
  editor: CodeEditor
  /** The shared file the editor shows. */
  text: Y.Text
  /** Its key in the code document's `files`: comments on other files are not drawn. */
  path: string
  /** A click on a marker: the open comments on that line, oldest first. */
  onSelect: (ids: string[]) => void
}

export class CommentMarkers {
  readonly #options: CommentMarkersOptions
  readonly #decorations: ReturnType<CodeEditor['createDecorationsCollection']>
  readonly #mouse: { dispose(): void }
  #comments: NoteComment[] = []
  /** Open comments by the 1-based line their marker is on. */
  #byLine = new Map<number, string[]>()
  #refresh: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(options: CommentMarkersOptions) {
    this.#options = options
    const { monaco, editor } = options
    this.#decorations = editor.createDecorationsCollection()
    this.#mouse = editor.onMouseDown((event) => {
      if (event.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN) return
      const ids = this.#byLine.get(event.target.position.lineNumber)
      if (ids !== undefined) options.onSelect(ids)
    })
    options.text.observe(this.#onText)
  }

  /** Draws these comments (the open ones on this file) from now on. */
  show(comments: NoteComment[]): void {
    this.#comments = comments
    this.#draw()
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#refresh)
    this.#options.text.unobserve(this.#onText)
    this.#mouse.dispose()
    this.#decorations.clear()
  }

  /**
   * The code changed: draw again once y-monaco has applied the change to the model (its own
   * observer may run after this one).
   */
  readonly #onText = (): void => {
    clearTimeout(this.#refresh)
    this.#refresh = setTimeout(() => this.#draw(), 0)
  }

  #draw(): void {
    const { editor, text, path } = this.#options
    const model = editor.getModel()
    if (this.#closed || model === null) return
    const decorations: Decoration[] = []
    const byLine = new Map<number, string[]>()
    for (const comment of this.#comments) {
      if (comment.path !== path || comment.resolved !== null) continue
      const range = resolveAnchor(text, comment.anchor)
      if (range === null) continue
      const start = model.getPositionAt(range.from)
      const end = model.getPositionAt(range.to)
      byLine.set(start.lineNumber, [...(byLine.get(start.lineNumber) ?? []), comment.id])
      const hover = { value: hoverText(comment), isTrusted: false, supportHtml: false }
      decorations.push({
        range: {
          startLineNumber: start.lineNumber,
          startColumn: start.column,
          endLineNumber: end.lineNumber,
          endColumn: end.column,
        },
        options: {
          className: range.from === range.to ? null : 'comment-range',
          glyphMarginClassName: 'comment-glyph',
          glyphMarginHoverMessage: hover,
          hoverMessage: hover,
        },
      })
    }
    this.#byLine = byLine
    this.#decorations.set(decorations)
  }
}

/** The hover's Markdown: the author in bold, the text escaped so it shows exactly as written. */
function hoverText(comment: NoteComment): string {
  return `**${escapeMarkdown(comment.author.name)}**: ${escapeMarkdown(comment.text)}`
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, '\\$&').replace(/\n/g, '  \n')
}
