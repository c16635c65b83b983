/**
 * Binds one shared Y.Text to the room's Monaco editor through y-monaco, and takes all of it down
 * again on `close()`: the binding, the model, the editor listeners y-monaco registers, its remote
 * selection decorations and our published selection. The room rebinds on every file or language
 * switch, so anything left behind here would pile up for the length of an interview.
 */
import { MonacoBinding } from 'y-monaco'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Role } from '../../../protocol/people.ts'
import type { Monaco } from './monacoSetup.ts'
import { noteLanguageUsed } from './typescriptService.ts'

type CodeEditor = ReturnType<Monaco['editor']['create']>
type Disposable = { dispose(): void }

export interface EditorBindingOptions {
  monaco: Monaco
  editor: CodeEditor
  text: Y.Text
  awareness: Awareness
  /** Monaco language id, e.g. `python`. */
  language: string
  /** File path in the shared document; becomes the model URI (the TS service wants `.ts`). */
  path: string
}

export class EditorBinding {
  readonly #editor: CodeEditor
  readonly #awareness: Awareness
  readonly #model: ReturnType<Monaco['editor']['createModel']>
  readonly #binding: MonacoBinding
  /** What y-monaco registered on the editor and never disposes (0.1.6 drops the handle). */
  readonly #editorListeners: Disposable[] = []
  /** The proxy y-monaco knows the editor by; its decorations are keyed by it. */
  readonly #editorProxy: CodeEditor
  readonly #text: Y.Text
  #unfollow: (() => void) | undefined
  #closed = false

  constructor(options: EditorBindingOptions) {
    const { monaco, editor, text, awareness } = options
    this.#editor = editor
    this.#text = text
    this.#awareness = awareness
    const uri = monaco.Uri.from({ scheme: 'file', path: `/${options.path}` })
    // A model left over under the same URI (e.g. by a crashed binding) would make createModel throw.
    monaco.editor.getModel(uri)?.dispose()
    noteLanguageUsed(options.language)
    this.#model = monaco.editor.createModel(text.toJSON(), options.language, uri)
    // Yjs offsets count "\n" as one character; a CRLF model would shift every remote edit.
    this.#model.setEOL(monaco.editor.EndOfLineSequence.LF)
    editor.setModel(this.#model)
    this.#editorProxy = collectListeners(editor, this.#editorListeners)
    this.#binding = new MonacoBinding(text, this.#model, new Set([this.#editorProxy]), awareness)
  }

  /**
   * Keeps the caret of the first other participant with `role` in view, scrolling whenever it
   * moves out of sight (an interviewer following the candidate); null stops following.
   */
  follow(role: Role | null): void {
    this.#unfollow?.()
    this.#unfollow = undefined
    if (role === null || this.#closed) return
    const reveal = (): void => {
      const index = this.#caretOf(role)
      if (index === null) return
      this.#editor.revealPositionInCenterIfOutsideViewport(this.#model.getPositionAt(index))
    }
    this.#awareness.on('change', reveal)
    this.#unfollow = () => this.#awareness.off('change', reveal)
    reveal()
  }

  /** Where in this file the first other participant with `role` has their caret, if anywhere. */
  #caretOf(role: Role): number | null {
    const doc = this.#text.doc
    if (doc === null) return null
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue
      const user = state.user as { role?: unknown } | undefined
      const selection = state.selection as { head?: Y.RelativePosition | null } | null | undefined
      if (user?.role !== role || selection?.head == null) continue
      const head = Y.createAbsolutePositionFromRelativePosition(selection.head, doc)
      if (head?.type === this.#text) return head.index
    }
    return null
  }

  close(): void {
    if (this.#closed) return
    this.follow(null)
    this.#closed = true
    const decorations = (this.#binding._decorations as Map<unknown, string[]>).get(
      this.#editorProxy,
    )
    // destroy() first: it also unhooks the model's onWillDispose, which would call destroy() a
    // second time and make Yjs log about unobserving a handler twice.
    this.#binding.destroy()
    for (const listener of this.#editorListeners.splice(0)) listener.dispose()
    if (decorations !== undefined && this.#editor.getModel() === this.#model) {
      this.#editor.removeDecorations(decorations)
    }
    // Others would keep drawing our cursor at a position in a file we no longer edit.
    if (this.#awareness.getLocalState() !== null) {
      this.#awareness.setLocalStateField('selection', null)
    }
    if (this.#editor.getModel() === this.#model) this.#editor.setModel(null)
    this.#model.dispose()
  }
}

/**
 * The editor as y-monaco should see it: identical, except that the cursor listeners it adds are
 * collected so close() can dispose them (y-monaco 0.1.6 keeps no handle to them).
 */
function collectListeners(editor: CodeEditor, into: Disposable[]): CodeEditor {
  return new Proxy(editor, {
    get(target, property) {
      if (property === 'onDidChangeCursorSelection') {
        return (listener: Parameters<CodeEditor['onDidChangeCursorSelection']>[0]) => {
          const disposable = target.onDidChangeCursorSelection(listener)
          into.push(disposable)
          return disposable
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value
    },
  })
}

export interface SharedFileBindingOptions extends Omit<EditorBindingOptions, 'text'> {
  /** The shared document's `files` map (see protocol/collab.ts). */
  files: Y.Map<Y.Text>
  /** Called once the file exists and the editor shows it. */
  onBound?: (binding: EditorBinding) => void
}

/**
 * Binds `files.get(path)`, waiting for the server to seed it when it does not exist yet (a fresh
 * room, or a language nobody has opened). `close()` works in either state.
 */
export function bindSharedFile(options: SharedFileBindingOptions): { close(): void } {
  const { files, onBound, ...rest } = options
  let binding: EditorBinding | null = null
  let closed = false
  const tryBind = (): void => {
    const text = files.get(options.path)
    if (closed || binding !== null || text === undefined) return
    files.unobserve(tryBind)
    binding = new EditorBinding({ ...rest, text })
    onBound?.(binding)
  }
  files.observe(tryBind)
  tryBind()
  return {
    close() {
      if (closed) return
      closed = true
      if (binding === null) files.unobserve(tryBind)
      binding?.close()
    },
  }
}
