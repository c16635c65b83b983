/**
 * The engines the sandbox process runs, in order of preference: the first engine that lists a
 * language runs its jobs (see Scheduler). Languages no engine lists are reported unavailable.
 *
 * Adding an engine is one line here: a factory that takes the EngineContext.
 */
import type { Engine, EngineContext } from './Engine.ts'
import { BoxEngine } from './box/BoxEngine.ts'
import { JsEngine } from './js/JsEngine.ts'

export type EngineFactory = (context: EngineContext) => Engine

export const engineFactories: readonly EngineFactory[] = [
  (context) => JsEngine.fromContext(context),
  (context) => BoxEngine.fromContext(context),
]

/** One engine per factory. */
export function createEngines(context: EngineContext): Engine[] {
  return engineFactories.map((factory) => factory(context))
}
