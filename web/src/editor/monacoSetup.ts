/**
 * Monaco as the room needs it, and nothing more: the core editor with its standard contributions
 * (find, suggest, folding, multi-cursor…) plus the Monarch tokenizers of the six languages Tandem
 * runs and of Markdown for the interviewers' notes. `monaco-editor`'s main entry would pull in ~80
 * tokenizers and the CSS/HTML/JSON services.
 *
 * The TypeScript/JavaScript language service (a multi-megabyte worker) loads later, only in a
 * JS/TS room, after the editor is usable: see typescriptService.ts.
 *
 * y-monaco 0.1.6 imports `monaco-editor/esm/vs/editor/editor.api.js`; monaco-editor 0.55.1
 * exports that path (`"./*": "./*"`) and it is the same module instance as ours, so no alias is
 * needed. Newer Monaco versions drop the deep path and would need `resolve.alias`.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js'
import 'monaco-editor/esm/vs/editor/edcore.main.js'
import 'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution.js'
import 'monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution.js'
import 'monaco-editor/esm/vs/basic-languages/python/python.contribution.js'
import 'monaco-editor/esm/vs/basic-languages/java/java.contribution.js'
import 'monaco-editor/esm/vs/basic-languages/cpp/cpp.contribution.js'
import 'monaco-editor/esm/vs/basic-languages/go/go.contribution.js'
// The interviewers' notes are Markdown (NotesPane).
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution.js'
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker'

export { monaco }
export type Monaco = typeof monaco

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment
  }
}

window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker | Promise<Worker> {
    if (label === 'typescript' || label === 'javascript') {
      return import('monaco-editor/esm/vs/language/typescript/ts.worker.js?worker').then(
        (module) => new module.default(),
      )
    }
    return new EditorWorker()
  },
}

/** The room's theme: Monaco's dark theme on the app's background. */
monaco.editor.defineTheme('tandem-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0d1117',
    'editor.lineHighlightBackground': '#161b22',
    'editorGutter.background': '#0d1117',
    'editorLineNumber.foreground': '#4b5563',
  },
})

/** Options every room editor gets. */
export const editorOptions: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: 'tandem-dark',
  automaticLayout: true,
  fontSize: 14,
  fontFamily: "'JetBrains Mono', 'Fira Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  tabSize: 4,
  renderWhitespace: 'selection',
  smoothScrolling: true,
  // Enter is always a newline; Tab (or a click) accepts a suggestion, as in CoderPad. Monaco's
  // default accepted on Enter, so typing `return re` and Enter inserted `result` instead of a
  // line break: in an interview you type more than you complete, and a surprise word costs more
  // than a keystroke saved.
  acceptSuggestionOnEnter: 'off',
  // Room above the first line for a remote caret's name label.
  padding: { top: 16 },
  // No throwaway default model: EditorBinding creates one per shared file.
  model: null,
}
