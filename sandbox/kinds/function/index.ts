/**
 * The function kind, sandbox side: the harness calls the candidate's function once per test in
 * one process (box.ts) and the host judges each return value (judge.ts).
 */
import type { FunctionProblem } from '../../../protocol/challenge.ts'
import type { SandboxKind } from '../SandboxKind.ts'
import { functionJs } from './js.ts'
import { runFunctionTests } from './box.ts'

export const functionKind: SandboxKind<FunctionProblem> = {
  name: 'function',
  js: functionJs,
  runInBoxes: runFunctionTests,
}
