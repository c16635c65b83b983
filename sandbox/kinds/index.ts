/**
 * The registry of challenge kinds, sandbox side: one folder per kind, looked up by name. A new
 * kind (SQL, HTTP, projects) is a new folder and a line here.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { RunContext, TestsOutcome } from '../box/RunContext.ts'
import { functionKind } from './function/index.ts'
import type { SandboxKind } from './SandboxKind.ts'
import { stdioKind } from './stdio/index.ts'

type Kinds = { [Style in Problem['style']]: SandboxKind<Extract<Problem, { style: Style }>> }

export const sandboxKinds: Kinds = { function: functionKind, stdio: stdioKind }

/** The kind of `problem`, typed for it. */
export function kindOf(problem: Problem): SandboxKind<Problem> {
  // Each entry takes its own problem type, and the table's key is that type's `style`; the
  // kinds' members are methods, which TypeScript checks bivariantly, so this needs no cast.
  return sandboxKinds[problem.style]
}

/** Runs a job's tests in boxes the way its kind does. */
export function runInBoxes(context: RunContext, problem: Problem): Promise<TestsOutcome> {
  return kindOf(problem).runInBoxes(context, problem)
}
