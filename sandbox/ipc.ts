/**
 * The channel between the server (LocalRunner) and the sandbox process, over Node's IPC. Both
 * directions are zod schemas built from protocol/'s own (one definition per shape), strict at
 * every level: a field either side does not know is an error, never silently dropped, so a shape
 * that grows on one side and not the other fails loudly in the first test that crosses it. Each
 * side parses what it receives: the server does not trust a process that runs hostile code (a
 * malformed message kills that process), and the sandbox does not trust a malformed job.
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
import { LanguageInfo } from '../protocol/languages.ts'
import {
  checkJobTree,
  JobTest,
  RunJobFields,
  RunnerEvent,
  runTextCaps,
  StopReason,
} from '../protocol/run.ts'

/** Most tests one job may carry (the challenge loader allows far fewer). */
export const maxTestsPerJob = 10_000
/** Largest `data` of a `log` message, characters of JSON. */
export const maxLogDataChars = 64 * 1024

/** Bumped on any incompatible change; the server refuses a sandbox that reports another. */
export const ipcProtocolVersion = 2

const runId = RunJobFields.shape.runId

/** A test on the wire: its key, and its content unless the sandbox already has it. */
export const WireTestSchema = z.strictObject({
  key: z.string().min(1).max(100),
  /** Size of the test as JSON, bytes: what the sandbox's store counts against its capacity. */
  bytes: z.number().int().nonnegative(),
  test: JobTest.optional(),
})
export type WireTest = z.infer<typeof WireTestSchema>

/** A RunJob whose tests travel by key (see WireTestSchema). */
// The runner checks the tree's paths again: what it writes into a box comes only from here.
export const WireJobSchema = RunJobFields.extend({
  tests: z.array(WireTestSchema).max(maxTestsPerJob),
}).superRefine(checkJobTree)
export type WireJob = z.infer<typeof WireJobSchema>

export const ParentMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run'), job: WireJobSchema }),
  /** Stops a run: `cancelled` ends it with verdict `cancelled`, `shutdown` with internal_error. */
  z.strictObject({ type: z.literal('cancel'), runId, reason: StopReason }),
  z.strictObject({ type: z.literal('probe'), requestId: z.number().int() }),
  z.strictObject({ type: z.literal('shutdown') }),
])
export type ParentMessage = z.infer<typeof ParentMessageSchema>

export const ChildMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), protocol: z.number().int(), pid: z.number().int() }),
  z.strictObject({ type: z.literal('event'), runId, event: RunnerEvent }),
  z.strictObject({
    type: z.literal('languages'),
    requestId: z.number().int(),
    languages: z.array(LanguageInfo),
  }),
  z.strictObject({
    type: z.literal('missing'),
    runId,
    keys: z.array(WireTestSchema.shape.key).max(maxTestsPerJob),
  }),
  z.strictObject({ type: z.literal('retiring'), reason: z.string().max(runTextCaps.display) }),
  z.strictObject({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string().max(runTextCaps.display),
    data: z
      .record(z.string(), z.unknown())
      .refine((data) => JSON.stringify(data).length <= maxLogDataChars, {
        message: `Log data over ${maxLogDataChars} characters of JSON`,
      })
      .optional(),
  }),
])
export type ChildMessage = z.infer<typeof ChildMessageSchema>
