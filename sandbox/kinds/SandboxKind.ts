/**
 * What a challenge kind brings to the sandbox. A kind is a folder, `sandbox/kinds/<kind>/`:
 * `index.ts` (this contract), `box.ts` (how its tests run in bubblewrap boxes: the harness
 * contract), `js.ts` (how they run in the JavaScript isolate) and `judge.ts` (how the host
 * compares what came back). The engines look a kind up by the job's `problem.style`
 * (kinds/index.ts) instead of switching on it.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { RunContext, TestsOutcome } from '../box/RunContext.ts'
import type { JsKindPart } from '../js/IsolateSession.ts'

export interface SandboxKind<P extends Problem> {
  name: P['style']
  /** Runs every test of the job in boxes, streaming each result as it is judged. */
  runInBoxes(context: RunContext, problem: P): Promise<TestsOutcome>
  /** How its tests drive the prelude's harness in the isolate, and how each is judged. */
  js: JsKindPart<P>
}
