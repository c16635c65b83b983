/**
 * Starts loading the editor kit (Monaco core, tokenizers, y-monaco glue) once, as early as a
 * route knows it will need it, so the download runs while the room's data is being fetched.
 */
import type * as EditorKit from './editorKit.ts'

export type MonacoKit = typeof EditorKit

let loading: Promise<MonacoKit> | null = null

export function loadMonaco(): Promise<MonacoKit> {
  loading ??= import('./editorKit.ts').then((kit) => {
    markOnce('tandem:editor-kit-loaded')
    return kit
  })
  return loading
}

/**
 * A User Timing mark, once per page load. The room's milestones (`tandem:editor-kit-loaded`,
 * `tandem:room-state`, `tandem:collab-synced`, `tandem:editor-created`, `tandem:editor-ready`)
 * are what the load benchmark reads from `performance.getEntriesByType('mark')`.
 */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name)
}
