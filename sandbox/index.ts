/**
 * The sandbox's public face: the only module of sandbox/ that the server may import (ESLint's
 * import-direction rules in eslint.config.js enforce it). It names what the server needs of the
 * sandbox and nothing more: the script to fork, the IPC schemas and types it speaks, starter code
 * generation, and the display helpers that format test values the way the judge prints them.
 * Everything else under sandbox/ belongs to the sandbox process and may change without notice.
 */
import { fileURLToPath } from 'node:url'
import type { Problem } from '../protocol/challenge.ts'
import type { LanguageId } from '../protocol/languages.ts'
import { languageModules } from './languages/index.ts'

/** The sandbox process's entry script, which LocalRunner forks (Node runs it as TypeScript). */
export const sandboxMainPath = fileURLToPath(new URL('main.ts', import.meta.url))

/** Idiomatic starter code for `problem` in `language`, generated from its signature. */
export function starterFor(language: LanguageId, problem: Problem): string {
  return languageModules[language].starter(problem)
}

export { displayArgs, displayText, displayValue } from './judge.ts'
export {
  ChildMessageSchema,
  ipcProtocolVersion,
  type ChildMessage,
  type ParentMessage,
  type WireJob,
} from './ipc.ts'
