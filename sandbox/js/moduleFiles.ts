/**
 * The candidate's other files, for the isolate: each becomes a CommonJS module the solution (and
 * each other) can `require('./util')`. On the host, a file is transpiled like the solution when
 * it needs it, then wrapped in a function handed to the prelude's registrar (see "modules" in
 * prelude.ts) under a name drawn for the run; the prelude resolves and evaluates modules lazily,
 * as Node does, so a module's top level runs inside the test that first requires it.
 */
import { randomBytes } from 'node:crypto'
import type { LanguageId } from '../../protocol/languages.ts'
import { filesBesideEntry, type RunJob } from '../../protocol/run.ts'
import type { Loader } from './Transpiler.ts'

/** One module as the host prepares it. */
export interface ModuleFile {
  /** Path relative to the solution's folder, as `require` resolves it and stack traces show it. */
  path: string
  source: string
  /** How to turn it into a script: JSON is wrapped as `module.exports = …`. */
  loader: Loader | 'json'
}

/** The files beside the solution the language loads as modules (others, e.g. notes, are data). */
export function moduleFiles(job: Pick<RunJob, 'files' | 'entry' | 'language'>): ModuleFile[] {
  const modules: ModuleFile[] = []
  for (const file of filesBesideEntry(job)) {
    const loader = loaderOf(file.path, job.language)
    if (loader !== undefined) modules.push({ path: file.path, source: file.content, loader })
  }
  return modules
}

function loaderOf(path: string, language: LanguageId): ModuleFile['loader'] | undefined {
  if (path.endsWith('.json')) return 'json'
  if (/\.[cm]?js$/.test(path)) return 'js'
  if (language === 'typescript' && /\.[cm]?ts$/.test(path)) return 'ts'
  return undefined
}

/** A global name no candidate code can know, for one run's registrar. */
export function newModuleKey(): string {
  return `__tandemModule_${randomBytes(12).toString('hex')}`
}

/**
 * The script that registers one module. Everything before the module's code sits on its first
 * line, so line numbers in stack traces are the file's own.
 */
export function moduleScript(key: string, path: string, code: string): string {
  const head = `globalThis[${JSON.stringify(key)}](${JSON.stringify(path)}, function (exports, require, module, __filename, __dirname) {`
  return `${head}${code}\n});`
}
