/**
 * The channel between the server (LocalRunner) and the sandbox process, over Node's IPC. Both
 * directions are zod schemas, and each side parses what it receives: the server does not trust
 * a process that runs hostile code, and the sandbox does not trust a malformed job.
 *
 *   server → sandbox   run · cancel · probe · shutdown
 *   sandbox → server   ready (once, with the protocol version) · event · languages · missing ·
 *                      retiring · log
 *
 * Tests travel by key: the server sends a test's content the first time and only its key after
 * that; the sandbox keeps recent tests (TestStore) and answers `missing` when it has dropped one,
 * so a large hidden test crosses the channel once, not on every run.
 */
import { z } from 'zod'
import { LanguageIds, type LanguageId, type LanguageInfo } from '../protocol/languages.ts'
import type { Problem } from '../protocol/challenge.ts'
import type { RunJob, RunnerEvent } from '../protocol/run.ts'
import type { TypeSpec } from '../protocol/types.ts'
import { Verdicts } from '../protocol/verdicts.ts'

/** Bumped on any incompatible change; the server refuses a sandbox that reports another. */
export const ipcProtocolVersion = 1

const runId = z.string().min(1).max(200)
const languageId = z.enum(LanguageIds) satisfies z.ZodType<LanguageId>

const TypeSpecSchema: z.ZodType<TypeSpec> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('int') }),
    z.object({ kind: z.literal('float') }),
    z.object({ kind: z.literal('bool') }),
    z.object({ kind: z.literal('string') }),
    z.object({ kind: z.literal('array'), of: TypeSpecSchema }),
    z.object({ kind: z.literal('map'), of: TypeSpecSchema }),
    z.object({ kind: z.literal('optional'), of: TypeSpecSchema }),
  ]),
)

const ProblemSchema = z.discriminatedUnion('style', [
  z.object({
    style: z.literal('function'),
    signature: z.object({
      function: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/),
      params: z.array(z.object({ name: z.string(), type: TypeSpecSchema })),
      returns: TypeSpecSchema,
    }),
    compare: z.object({ unordered: z.boolean(), floatTolerance: z.number().min(0) }),
  }),
  z.object({
    style: z.literal('stdio'),
    compare: z.object({
      mode: z.enum(['exact', 'whitespace', 'tokens']),
      floatTolerance: z.number().min(0),
    }),
  }),
]) satisfies z.ZodType<Problem>

const LimitsSchema = z.object({
  cpuTimeMs: z.number().int().positive(),
  wallTimeMs: z.number().int().positive(),
  memoryMb: z.number().int().positive(),
  outputBytes: z.number().int().positive(),
  compileTimeMs: z.number().int().positive().optional(),
})

export const JobTestSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  hidden: z.boolean(),
  input: z.union([z.object({ args: z.array(z.unknown()) }), z.object({ stdin: z.string() })]),
  expected: z.unknown(),
})

/** A test on the wire: its key, and its content unless the sandbox already has it. */
export const WireTestSchema = z.object({
  key: z.string().min(1).max(100),
  /** Size of the test as JSON, bytes: what the sandbox's store counts against its capacity. */
  bytes: z.number().int().nonnegative(),
  test: JobTestSchema.optional(),
})
export type WireTest = z.infer<typeof WireTestSchema>

export const WireJobSchema = z.object({
  runId,
  language: languageId,
  mode: z.enum(['tests', 'custom']),
  files: z.array(z.object({ path: z.string().min(1), content: z.string() })).min(1),
  entry: z.string().min(1),
  problem: ProblemSchema,
  tests: z.array(WireTestSchema),
  limits: LimitsSchema,
})
export type WireJob = Omit<RunJob, 'tests'> & { tests: WireTest[] }

export const ParentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), job: WireJobSchema }),
  z.object({ type: z.literal('cancel'), runId }),
  z.object({ type: z.literal('probe'), requestId: z.number().int() }),
  z.object({ type: z.literal('shutdown') }),
])
export type ParentMessage =
  | { type: 'run'; job: WireJob }
  | { type: 'cancel'; runId: string }
  | { type: 'probe'; requestId: number }
  | { type: 'shutdown' }

const TestResultSchema = z.object({
  testId: z.string(),
  index: z.number().int().nonnegative(),
  name: z.string(),
  hidden: z.boolean(),
  verdict: z.enum([...Verdicts, 'skipped']),
  durationMs: z.number().nonnegative().nullable(),
  input: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  mismatch: z.string().optional(),
  stdout: z.string().optional(),
  error: z.object({ message: z.string(), stack: z.string().optional() }).optional(),
})

const RunSummarySchema = z.object({
  verdict: z.enum(Verdicts),
  passed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  compileOutput: z.string().optional(),
  message: z.string(),
  outsideOutput: z.string().optional(),
  hiddenOutsideOutput: z.string().optional(),
})

export const RunnerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), position: z.number().int().nonnegative() }),
  z.object({ type: z.literal('stage'), stage: z.enum(['preparing', 'compiling', 'running']) }),
  z.object({ type: z.literal('test'), result: TestResultSchema }),
  z.object({ type: z.literal('exit'), summary: RunSummarySchema }),
]) satisfies z.ZodType<RunnerEvent>

export const LanguageInfoSchema = z.object({
  id: languageId,
  name: z.string(),
  version: z.string(),
  available: z.boolean(),
  reason: z.string().optional(),
  limits: LimitsSchema,
  timeMultiplier: z.number().positive(),
}) satisfies z.ZodType<LanguageInfo>

export const ChildMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.number().int(), pid: z.number().int() }),
  z.object({ type: z.literal('event'), runId, event: RunnerEventSchema }),
  z.object({
    type: z.literal('languages'),
    requestId: z.number().int(),
    languages: z.array(LanguageInfoSchema),
  }),
  z.object({ type: z.literal('missing'), runId, keys: z.array(z.string()) }),
  z.object({ type: z.literal('retiring'), reason: z.string() }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
])
export type ChildMessage = z.infer<typeof ChildMessageSchema>
