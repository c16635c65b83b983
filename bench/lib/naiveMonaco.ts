/**
 * The naive baseline's Monaco (see naiveWeb.vite.config.ts): what `import * as monaco from
 * 'monaco-editor'` gives (the editor, ~80 Monarch tokenizers, the CSS/HTML/JSON/TypeScript
 * services registered), with every language service's mode loaded up front instead of on first use.
 */
import 'monaco-editor/esm/vs/language/typescript/tsMode.js'
import 'monaco-editor/esm/vs/language/css/cssMode.js'
import 'monaco-editor/esm/vs/language/html/htmlMode.js'
import 'monaco-editor/esm/vs/language/json/jsonMode.js'

export * from 'monaco-editor/esm/vs/editor/editor.main.js'
