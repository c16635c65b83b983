/**
 * What a challenge kind brings to the server. A kind is a folder, `server/challenges/kinds/<kind>/`:
 * its part of challenge.json and tests.json (schema and parser), how a test is shown in the room,
 * and how a custom run's input is checked. The parser, the catalog and RunService look a kind up
 * by its style (kinds/index.ts) instead of switching on it.
 */
import type { z } from 'zod'
import type { ChallengeView, TestCaseView } from '../../../protocol/api.ts'
import type { Problem } from '../../../protocol/challenge.ts'
import type { RunStartPayload } from '../../../protocol/realtime.ts'
import type { JobTest } from '../../../protocol/run.ts'
import type { FileReader } from '../ChallengeFileReader.ts'

/** What the parser gives a kind: tests.json's raw tests, and the reader to fail through. */
export interface KindInput {
  rawTests: unknown[]
  read: FileReader
}

export interface ServerKind<P extends Problem, Meta extends { style: string }> {
  name: P['style']
  /** challenge.json for this kind: the common fields and the kind's own (strict). */
  meta: z.ZodType<Meta>
  /** The problem and its tests from challenge.json and tests.json; fails through `read`. */
  parse(meta: Meta, input: KindInput): { problem: P; tests: JobTest[] }
  /** What the room shows of the problem itself (function: the signature, as text and as data). */
  describe(problem: P): Pick<ChallengeView, 'signature' | 'call'>
  /** A test's display forms (and values, where the web builds on them) for the room. */
  view(problem: P, test: JobTest): Pick<TestCaseView, 'input' | 'expected' | 'args'>
  /** A custom run's input, checked against the problem; throws `bad_request` naming the issue. */
  customInput(problem: P, payload: Extract<RunStartPayload, { mode: 'custom' }>): JobTest['input']
}
