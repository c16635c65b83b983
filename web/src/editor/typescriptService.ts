/**
 * The TypeScript/JavaScript language service (hover, completion, diagnostics), loaded on demand.
 * Its worker is several megabytes, so it starts only in a JS/TS room, after the editor is usable.
 */

/** Languages whose model has been created; Monaco asks for rich features once per language. */
const requested = new Set<string>()

/** Records that a model of `languageId` exists (see loadTypeScriptService). */
export function noteLanguageUsed(languageId: string): void {
  requested.add(languageId)
}

let tsService: Promise<void> | null = null

/**
 * Loads the TypeScript/JavaScript language service (hover, completion, diagnostics), once.
 *
 * Monaco starts a language's service from `languages.onLanguage`, which fires once, when the
 * first model of that language is created. Our editor is usable before the service module is
 * even loaded, so for a language whose model already exists the listener would never fire: we
 * start that language's service directly, and leave the listener for the other one.
 */
export function loadTypeScriptService(): Promise<void> {
  tsService ??= (async () => {
    const contribution =
      (await import('monaco-editor/esm/vs/language/typescript/monaco.contribution.js')) as unknown as {
        typescriptDefaults: unknown
        javascriptDefaults: unknown
      }
    // Checked right after the contribution ran (same task), so a model created from now on is
    // handled by its onLanguage listener and none is set up twice.
    const already = ['typescript', 'javascript'].filter((id) => requested.has(id))
    if (already.length === 0) return
    const mode = await import('monaco-editor/esm/vs/language/typescript/tsMode.js')
    if (already.includes('typescript')) mode.setupTypeScript(contribution.typescriptDefaults)
    if (already.includes('javascript')) mode.setupJavaScript(contribution.javascriptDefaults)
  })()
  return tsService
}
