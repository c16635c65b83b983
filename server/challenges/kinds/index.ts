/**
 * The registry of challenge kinds, server side, by style. A new kind (SQL, HTTP, projects) is a
 * folder here and a line in this table, beside its sandbox and web folders.
 */
import { z } from 'zod'
import type { ChallengeView, TestCaseView } from '../../../protocol/api.ts'
import type { Problem } from '../../../protocol/challenge.ts'
import type { RunStartPayload } from '../../../protocol/realtime.ts'
import type { JobTest } from '../../../protocol/run.ts'
import { functionKind, FunctionChallengeJson } from './function/index.ts'
import type { KindInput, ServerKind } from './ServerKind.ts'
import { stdioKind, StdioChallengeJson } from './stdio/index.ts'

/** challenge.json: one shape per kind, told apart by `style`. */
export const ChallengeJson = z.discriminatedUnion('style', [
  FunctionChallengeJson,
  StdioChallengeJson,
])
export type ChallengeJson = z.infer<typeof ChallengeJson>

type Kinds = {
  [Style in Problem['style']]: ServerKind<
    Extract<Problem, { style: Style }>,
    Extract<ChallengeJson, { style: Style }>
  >
}

export const serverKinds: Kinds = { function: functionKind, stdio: stdioKind }

// Each entry takes its own problem and challenge.json types; the table's key is their `style`.
const kindOf = (style: Problem['style']) =>
  serverKinds[style] as unknown as ServerKind<Problem, ChallengeJson>

/** The problem and tests of a challenge, the way its kind reads them. */
export function parseKind(
  meta: ChallengeJson,
  input: KindInput,
): { problem: Problem; tests: JobTest[] } {
  return kindOf(meta.style).parse(meta, input)
}

/** What the room shows of the problem itself, the way its kind shows it. */
export function describeProblem(problem: Problem): Pick<ChallengeView, 'signature' | 'call'> {
  return kindOf(problem.style).describe(problem)
}

/** A test's display forms for the room, the way its kind shows them. */
export function viewTestInput(
  problem: Problem,
  test: JobTest,
): Pick<TestCaseView, 'input' | 'expected' | 'args'> {
  return kindOf(problem.style).view(problem, test)
}

/** A custom run's input, checked the way the challenge's kind checks it. */
export function customInput(
  problem: Problem,
  payload: Extract<RunStartPayload, { mode: 'custom' }>,
): JobTest['input'] {
  return kindOf(problem.style).customInput(problem, payload)
}
