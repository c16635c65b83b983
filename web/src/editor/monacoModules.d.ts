/**
 * Types for the Monaco files the app imports that ship without declarations. Only what we call
 * is declared; see monacoSetup.ts for why these deep imports are used.
 */
declare module 'monaco-editor/esm/vs/editor/edcore.main.js'

declare module 'monaco-editor/esm/vs/language/typescript/tsMode.js' {
  export function setupTypeScript(defaults: unknown): unknown
  export function setupJavaScript(defaults: unknown): unknown
}
