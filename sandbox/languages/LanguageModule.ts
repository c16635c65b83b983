/**
 * A language as data: what every part of Tandem needs to know about it beyond its id. The
 * engine-specific parts (isolate harness for JS/TS; compile/run commands and a generated harness
 * for process languages) live with each engine.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { LanguageId } from '../../protocol/languages.ts'

export interface LanguageModule {
  id: LanguageId
  /** Idiomatic starter code for a problem, generated from its signature (or a stdin skeleton). */
  starter(problem: Problem): string
}
