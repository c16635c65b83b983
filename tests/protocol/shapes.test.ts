/**
 * The wire shapes as a client sees them, pinned with inline snapshots: a change to an envelope
 * shows up here as a diff to review, not as a surprise in someone's browser. Each shape is also
 * parsed by its own schema from protocol/, so the snapshot and the definition cannot drift apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrorBody, type ErrorPayload } from '../../protocol/errors.ts'
import { RoomNotice, RunStartPayload, SocketAuth } from '../../protocol/realtime.ts'
import {
  cancelledSummary,
  clipRunnerEvent,
  internalErrorSummary,
  RunEvent,
  RunnerEvent,
  runTextCaps,
  type RunJob,
  type RunInfo,
} from '../../protocol/run.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import { ChildMessageSchema, ParentMessageSchema } from '../../sandbox/ipc.ts'
import { fromZodError, parseInput, TandemError } from '../../server/errors.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { redactForCandidate } from '../../server/runs/RunService.ts'
import { collect, jsJob, quickLimits, twoSumJs } from '../sandbox/jsKit.ts'

const info: RunInfo = {
  runId: 'r1',
  interviewId: 'i1',
  language: 'javascript',
  mode: 'tests',
  requestedBy: { participantId: 'p1', name: 'Grace', role: 'candidate' },
  createdAt: '2026-12-03T10:00:00.000Z',
  tests: [
    { id: 't1', name: 'example', hidden: false },
    { id: 't2', name: 'large input', hidden: true },
  ],
  limits: quickLimits,
}

/** Parses with the event schema and hands the value back, so each snapshot is of a valid event. */
function event(value: RunEvent): RunEvent {
  return RunEvent.parse(value)
}

describe('wire shapes', () => {
  it('pins the error envelope, naming an unknown field by its path', () => {
    let payload: ErrorPayload | undefined
    try {
      parseInput(RunStartPayload, { mode: 'tests', code: 'print(1)' }, 'run request')
    } catch (error) {
      if (error instanceof TandemError) payload = error.toPayload()
    }
    const body = ApiErrorBody.parse({ error: payload })
    expect(body).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "bad_request",
          "issues": [
            {
              "message": "Unknown field",
              "path": "code",
            },
          ],
          "message": "Invalid run request: code — Unknown field",
        },
      }
    `)
    expect(ApiErrorBody.parse({ error: new TandemError('not_found', 'No such run.').toPayload() }))
      .toMatchInlineSnapshot(`
        {
          "error": {
            "code": "not_found",
            "message": "No such run.",
          },
        }
      `)
  })

  it('pins a hidden test’s event as the candidate receives it: position and verdict only', () => {
    const full = event({
      runId: 'r1',
      seq: 4,
      type: 'test',
      result: {
        testId: 't2',
        index: 1,
        name: 'large input',
        hidden: true,
        verdict: 'failed',
        durationMs: 12,
        input: 'nums = [1,2,3], target = 5',
        expected: '[1,2]',
        actual: '[0,2]',
        mismatch: 'at [0]: expected 1, got 0',
        stdout: 'debug line\n',
        error: { message: 'no', stack: 'at twoSum (solution.js:2:3)' },
      },
    })
    expect(event(redactForCandidate(full))).toMatchInlineSnapshot(`
      {
        "result": {
          "durationMs": null,
          "hidden": true,
          "index": 1,
          "name": "Hidden test 2",
          "testId": "t2",
          "verdict": "failed",
        },
        "runId": "r1",
        "seq": 4,
        "type": "test",
      }
    `)
  })

  it('pins the queued event, with hidden tests named by position for the candidate', () => {
    const queued = event({ runId: 'r1', seq: 0, type: 'queued', run: info, position: 1 })
    expect(event(redactForCandidate(queued))).toMatchInlineSnapshot(`
      {
        "position": 1,
        "run": {
          "createdAt": "2026-12-03T10:00:00.000Z",
          "interviewId": "i1",
          "language": "javascript",
          "limits": {
            "cpuTimeMs": 2000,
            "memoryMb": 64,
            "outputBytes": 65536,
            "sourceBytes": 262144,
            "wallTimeMs": 5000,
          },
          "mode": "tests",
          "requestedBy": {
            "name": "Grace",
            "participantId": "p1",
            "role": "candidate",
          },
          "runId": "r1",
          "tests": [
            {
              "hidden": false,
              "id": "t1",
              "name": "example",
            },
            {
              "hidden": true,
              "id": "t2",
              "name": "Hidden test 2",
            },
          ],
        },
        "runId": "r1",
        "seq": 0,
        "type": "queued",
      }
    `)
  })

  it('pins the exits of a cancelled run and of one the sandbox failed', () => {
    expect(event({ runId: 'r1', seq: 7, type: 'exit', summary: cancelledSummary(6, 2, 1834) }))
      .toMatchInlineSnapshot(`
      {
        "runId": "r1",
        "seq": 7,
        "summary": {
          "durationMs": 1834,
          "message": "The run was cancelled.",
          "passed": 2,
          "total": 6,
          "verdict": "cancelled",
        },
        "type": "exit",
      }
    `)
    expect(
      event({
        runId: 'r1',
        seq: 3,
        type: 'exit',
        summary: internalErrorSummary(6, 'The sandbox process stopped (signal SIGKILL)'),
      }),
    ).toMatchInlineSnapshot(`
      {
        "runId": "r1",
        "seq": 3,
        "summary": {
          "durationMs": 0,
          "message": "The sandbox process stopped (signal SIGKILL). This is not a problem with the code; run it again.",
          "passed": 0,
          "total": 6,
          "verdict": "internal_error",
        },
        "type": "exit",
      }
    `)
  })

  it('pins the socket.io handshake’s auth', () => {
    expect(SocketAuth.parse({ token: 'tok', protocolVersion: PROTOCOL_VERSION }))
      .toMatchInlineSnapshot(`
        {
          "protocolVersion": 1,
          "token": "tok",
        }
      `)
    expect(
      SocketAuth.safeParse({ token: 'tok', protocolVersion: PROTOCOL_VERSION + 1 }).success,
    ).toBe(false)
  })
})

describe('room notices', () => {
  it('pins each kind an interviewer can cause, and refuses a field none of them names', () => {
    const notices = [
      { type: 'locked', locked: true, by: 'Ada' },
      { type: 'runsEnabled', enabled: false, by: 'Ada' },
      { type: 'participantRemoved', participantId: 'p2', name: 'Grace', by: 'Ada' },
    ].map((notice) => RoomNotice.parse(notice))
    expect(notices).toMatchInlineSnapshot(`
      [
        {
          "by": "Ada",
          "locked": true,
          "type": "locked",
        },
        {
          "by": "Ada",
          "enabled": false,
          "type": "runsEnabled",
        },
        {
          "by": "Ada",
          "name": "Grace",
          "participantId": "p2",
          "type": "participantRemoved",
        },
      ]
    `)
    expect(
      RoomNotice.safeParse({ type: 'locked', locked: true, by: 'Ada', until: 1 }).success,
    ).toBe(false)
  })
})

describe('an unknown field crossing the sandbox IPC', () => {
  // Regression: the IPC schemas were z.object mirrors of protocol/'s interfaces, and z.object
  // strips unknown keys, so a field the sandbox added to TestResult (say memoryKb) vanished at
  // LocalRunner's parse and never reached a browser, with every typecheck passing. Strict
  // schemas make that a malformed message, which the server answers by killing the process.
  it('is refused in a message from the sandbox, naming the field', () => {
    const result = {
      testId: 't1',
      index: 0,
      name: 'example',
      hidden: false,
      verdict: 'passed',
      durationMs: 3,
    }
    const message = { type: 'event', runId: 'r1', event: { type: 'test', result } }
    expect(ChildMessageSchema.safeParse(message).success).toBe(true)
    const grown = ChildMessageSchema.safeParse({
      ...message,
      event: { type: 'test', result: { ...result, memoryKb: 2048 } },
    })
    expect(grown.success).toBe(false)
    expect(grown.error === undefined ? [] : fromZodError(grown.error).issues).toEqual([
      { path: 'event.result.memoryKb', message: 'Unknown field' },
    ])
  })

  it('is refused in a message to the sandbox, naming the field', () => {
    const job = { ...jsJob({ code: twoSumJs }), tests: [] }
    expect(ParentMessageSchema.safeParse({ type: 'run', job }).success).toBe(true)
    const grown = ParentMessageSchema.safeParse({ type: 'run', job: { ...job, priority: 1 } })
    expect(grown.error === undefined ? [] : fromZodError(grown.error).issues).toEqual([
      { path: 'job.priority', message: 'Unknown field' },
    ])
  })

  describe('through the real sandbox process', () => {
    let runner: LocalRunner
    beforeAll(() => {
      runner = new LocalRunner({ concurrency: 1 })
    })
    afterAll(() => runner.close())

    it('fails that run loudly instead of running it without the field', async () => {
      // A job that grew a field the sandbox does not know: LocalRunner sends it as it is.
      const grown = { ...jsJob({ code: twoSumJs }), priority: 1 } as RunJob
      const run = await collect(runner, grown)
      expect(run.summary.verdict).toBe('internal_error')
      expect(run.summary.message).toContain('Unrecognized key: "priority"')
      // The next, well-formed job runs as usual.
      expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
    })
  })
})

// Issue 13: everything a candidate's code prints reaches the server through the sandbox's IPC,
// and the server parsed it without any bound. The schemas now cap every text of a result, and
// the sandbox cuts each event to those caps before it sends it, so a huge message is cut for the
// candidate to see rather than a protocol violation that gets the process killed.
describe('the texts of a run’s events', () => {
  const huge = 'x'.repeat(5_000_000)

  it('are refused by the schema past their caps, and cut to them by clipRunnerEvent', () => {
    const event: RunnerEvent = {
      type: 'test',
      result: {
        testId: 't1',
        index: 0,
        name: 'example',
        hidden: false,
        verdict: 'runtime_error',
        durationMs: 1,
        actual: huge,
        stdout: huge,
        error: { message: huge, stack: huge },
      },
    }
    expect(RunnerEvent.safeParse(event).success).toBe(false)
    const clipped = clipRunnerEvent(event)
    expect(RunnerEvent.safeParse(clipped).success).toBe(true)
    const result = clipped.type === 'test' ? clipped.result : undefined
    expect(result?.actual?.length).toBeLessThanOrEqual(runTextCaps.display)
    expect(result?.stdout?.length).toBeLessThanOrEqual(runTextCaps.console)
    expect(result?.error?.message).toMatch(/… \(\d+ more characters\)$/)
    const exit = clipRunnerEvent({
      type: 'exit',
      summary: { ...internalErrorSummary(1, 'x'), message: huge, compileOutput: huge },
    })
    expect(RunnerEvent.safeParse(exit).success).toBe(true)
  })

  it('are refused in a message from the sandbox past their caps', () => {
    const log = { type: 'log', level: 'warn', message: huge }
    expect(ChildMessageSchema.safeParse(log).success).toBe(false)
    const data = { type: 'log', level: 'warn', message: 'm', data: { output: huge } }
    expect(ChildMessageSchema.safeParse(data).success).toBe(false)
  })

  describe('through the real sandbox process', () => {
    let runner: LocalRunner
    beforeAll(() => {
      runner = new LocalRunner({ concurrency: 1 })
    })
    afterAll(() => runner.close())

    it('cut a text past its cap in the process itself, which lives on', async () => {
      // The engines cut candidate output far below the caps (so no candidate code reaches
      // them); a test name is echoed as it is, so a 5 000-character one shows the sandbox's own
      // cut at work. Without it, the event would break the schema and the process be killed.
      await collect(runner, jsJob({ code: twoSumJs }))
      const pid = runner.pid
      const [first, ...rest] = jsJob({ code: twoSumJs }).tests
      if (first === undefined) throw new Error('two-sum has tests')
      const job = jsJob({ code: twoSumJs, tests: [{ ...first, name: 'n'.repeat(5_000) }, ...rest] })
      const run = await collect(runner, job)
      expect(run.summary.verdict).toBe('passed')
      expect(run.results[0]?.name).toMatch(/^n+… \(\d+ more characters\)$/)
      expect(run.results[0]?.name.length).toBeLessThanOrEqual(runTextCaps.label)
      expect(runner.pid).toBe(pid)
    })
  })
})
