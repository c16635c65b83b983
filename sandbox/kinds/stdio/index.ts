/**
 * The stdio kind, sandbox side: each test is a fresh run of the candidate's program on that
 * test's stdin (box.ts), and the host judges stdout by the challenge's rule (judge.ts).
 */
import type { StdioProblem } from '../../../protocol/challenge.ts'
import type { SandboxKind } from '../SandboxKind.ts'
import { stdioJs } from './js.ts'
import { runStdioTests } from './box.ts'

export const stdioKind: SandboxKind<StdioProblem> = {
  name: 'stdio',
  js: stdioJs,
  runInBoxes: runStdioTests,
}
