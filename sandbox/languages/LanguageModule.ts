/**
 * A language as data: everything Tandem knows about it beyond its id, in its own folder
 * (sandbox/languages/<id>/): the starter code, which engine runs it, and that engine's facts —
 * the default limits and time multiplier, and for process languages the bubblewrap spec and the
 * harness beside it. The facts the browser needs before it asks the server (name, file
 * extension, Monaco mode) are wire vocabulary and stay in protocol/languages.ts.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { LanguageId, LanguageLimits } from '../../protocol/languages.ts'
import type { BoxLanguageSpec } from '../box/LanguageSpec.ts'

/** Runs in a V8 isolate (sandbox/js/); the limits are those of one test. */
export interface IsolateEngineFacts {
  kind: 'isolate'
  limits: LanguageLimits
  /** How much slower than C++ this language may be on a challenge's time limit. */
  timeMultiplier: number
}

/** Runs as processes in a bubblewrap box (sandbox/box/); the spec holds limits and commands. */
export interface BoxEngineFacts {
  kind: 'box'
  spec: BoxLanguageSpec
}

export interface LanguageModule {
  id: LanguageId
  /** Idiomatic starter code for a problem, generated from its signature (or a stdin skeleton). */
  starter(problem: Problem): string
  engine: IsolateEngineFacts | BoxEngineFacts
}
