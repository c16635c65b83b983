/**
 * The runner seam as the server uses it: a LocalRunner, its sandbox process and the scheduler
 * inside it. Streams are ordered and end in exactly one exit; the queue is bounded and FIFO and
 * says where each run stands; cancelling and closing leave nothing behind.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { LanguageIds } from '../../protocol/languages.ts'
import {
  cancelledMessage,
  cancelledSummary,
  internalErrorMessage,
  type RunnerEvent,
} from '../../protocol/run.ts'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { LocalRunner, type LocalRunnerOptions } from '../../server/runner/LocalRunner.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { collect, jsJob, twoSumJs } from './jsKit.ts'

const runners: LocalRunner[] = []

function startRunner(
  concurrency: number,
  options: Omit<LocalRunnerOptions, 'concurrency'> = {},
): LocalRunner {
  const runner = new LocalRunner({ concurrency, ...options })
  runners.push(runner)
  return runner
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()))
})

/** A run that holds its slot until it is cancelled. */
const spinning = () =>
  jsJob({
    code: 'function twoSum() { while (true) {} }',
    limits: { wallTimeMs: 60_000, cpuTimeMs: 60_000 },
  })

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Reads a stream in the background, recording every event. */
function record(stream: AsyncIterable<RunnerEvent>): {
  events: RunnerEvent[]
  done: Promise<void>
} {
  const events: RunnerEvent[] = []
  const done = (async () => {
    for await (const event of stream) events.push(event)
  })()
  return { events, done }
}

describe('local runner', () => {
  it('lists every language, JavaScript and TypeScript available with their limits', async () => {
    const runner = startRunner(1)
    const languages = await runner.languages()
    expect(languages.map((l) => l.id)).toEqual([...LanguageIds])
    const js = languages.find((l) => l.id === 'javascript')
    expect(js).toMatchObject({ available: true, timeMultiplier: 2 })
    expect(js?.version).toMatch(/^V8 \d+\.\d+/)
    expect(js?.limits).toMatchObject({
      cpuTimeMs: 2000,
      wallTimeMs: 5000,
      memoryMb: 128,
      outputBytes: 65536,
    })
    expect(languages.find((l) => l.id === 'typescript')?.limits.compileTimeMs).toBe(5000)
    expect(runner.ready()).toBe(true)
  })

  it('streams queued, stages, tests in order, then exactly one exit', async () => {
    const runner = startRunner(1)
    const { events } = await collect(runner, jsJob({ code: twoSumJs, language: 'typescript' }))
    expect(
      events.map((e) =>
        e.type === 'queued'
          ? `queued ${e.position}`
          : e.type === 'stage'
            ? e.stage
            : e.type === 'test'
              ? `test ${e.result.index}`
              : 'exit',
      ),
    ).toEqual([
      'queued 0',
      'preparing',
      'compiling',
      'running',
      'test 0',
      'test 1',
      'test 2',
      'exit',
    ])
  })

  it('queues runs beyond its concurrency first in, first out, and says where each stands', async () => {
    const runner = startRunner(1)
    const blocker = new AbortController()
    const first = record(runner.run(spinning(), blocker.signal))
    const second = record(runner.run(jsJob({ code: twoSumJs })))
    const third = record(runner.run(jsJob({ code: twoSumJs })))
    await waitFor(
      () => first.events.length > 0 && third.events.length > 0,
      'the first run is starting and the third queued',
    )
    expect(first.events[0]).toEqual({ type: 'queued', position: 0 })
    expect(second.events).toEqual([{ type: 'queued', position: 1 }])
    expect(third.events).toEqual([{ type: 'queued', position: 2 }])
    blocker.abort()
    await Promise.all([first.done, second.done, third.done])
    const positions = (events: RunnerEvent[]) =>
      events.flatMap((e) => (e.type === 'queued' ? [e.position] : []))
    expect(positions(second.events)).toEqual([1, 0])
    expect(positions(third.events)).toEqual([2, 1, 0])
    for (const run of [second, third]) {
      expect(run.events.at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
    }
  })

  it('ends a cancelled run, running or queued, with one cancelled exit', async () => {
    const runner = startRunner(1)
    const running = new AbortController()
    const queued = new AbortController()
    const first = record(runner.run(spinning(), running.signal))
    const second = record(runner.run(jsJob({ code: twoSumJs }), queued.signal))
    await waitFor(
      () =>
        first.events.some((e) => e.type === 'stage' && e.stage === 'running') &&
        second.events.length > 0,
      'one run is running and one queued',
    )
    queued.abort()
    running.abort()
    await Promise.all([first.done, second.done])
    for (const run of [first, second]) {
      expect(run.events.filter((e) => e.type === 'exit')).toHaveLength(1)
      expect(run.events.at(-1)).toMatchObject({
        type: 'exit',
        summary: { verdict: 'cancelled', passed: 0, message: cancelledMessage },
      })
    }
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
  })

  it('cancels a run still waiting for its sandbox process, which never hears of it', async () => {
    // Right after the runner starts, its process is not ready: the run waits in LocalRunner.
    const runner = startRunner(1)
    const abort = new AbortController()
    const waiting = record(runner.run(spinning(), abort.signal))
    abort.abort()
    await waiting.done
    expect(waiting.events).toEqual([{ type: 'exit', summary: cancelledSummary(3) }])
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
  })

  it('ends a run stopped for a shutdown with internal_error saying so, running or waiting', async () => {
    const runner = startRunner(1)
    const early = new AbortController()
    const waiting = record(runner.run(spinning(), early.signal))
    early.abort('shutdown')
    const running = new AbortController()
    const spinner = record(runner.run(spinning(), running.signal))
    await waitFor(
      () => spinner.events.some((e) => e.type === 'stage' && e.stage === 'running'),
      'the run is running',
    )
    running.abort('shutdown')
    await Promise.all([waiting.done, spinner.done])
    expect(waiting.events.at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'internal_error',
        message: internalErrorMessage('The server is shutting down'),
      },
    })
    expect(spinner.events.at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'internal_error',
        message: internalErrorMessage('The sandbox is shutting down'),
      },
    })
  })

  it('cancels a run whose reader stops reading', async () => {
    const runner = startRunner(1)
    for await (const event of runner.run(spinning())) {
      if (event.type === 'stage' && event.stage === 'running') break
    }
    // The slot is free again only if leaving the loop cancelled the spinning run.
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
  })

  it('closes with an exit for every run in flight and no process left behind', async () => {
    const runner = startRunner(2)
    await waitFor(() => runner.pids.length === 2, 'both sandbox processes have started')
    const pids = runner.pids
    const runs = [
      record(runner.run(spinning())),
      record(runner.run(spinning())),
      record(runner.run(spinning())),
    ]
    await waitFor(() => runs.every((r) => r.events.length > 0), 'all runs are queued')
    await runner.close()
    await Promise.all(runs.map((r) => r.done))
    for (const run of runs) {
      expect(run.events.filter((e) => e.type === 'exit')).toHaveLength(1)
      expect(run.events.at(-1)).toMatchObject({
        type: 'exit',
        summary: { verdict: 'internal_error' },
      })
    }
    expect(pids.filter(isAlive)).toEqual([])
    const late = await collect(runner, jsJob({ code: twoSumJs }))
    expect(late.summary).toMatchObject({
      verdict: 'internal_error',
      message: internalErrorMessage('The runner is shut down'),
    })
  })

  it('ends a malformed job with an exit instead of leaving it waiting', async () => {
    const runner = startRunner(1)
    const job = { ...jsJob({ code: twoSumJs }), files: [] }
    const run = await collect(runner, job)
    expect(run.summary.verdict).toBe('internal_error')
    expect(run.summary.message).toMatch(/^The sandbox refused the job \(job\.files: /)
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
  })

  it('sends a test’s content again when the sandbox process has dropped it', async () => {
    // A store that holds almost nothing: the second job's tests push out the first job's, so
    // the third job (the first's tests, sent by key only) is answered with `missing`.
    const lines: string[] = []
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString())
          done()
        },
      }),
    )
    const runner = startRunner(1, { env: { TANDEM_SANDBOX_TEST_STORE_BYTES: '10' }, logger })
    const other = [
      { id: 'o1', name: 'other', hidden: false, input: { args: [[1, 5], 6] }, expected: [0, 1] },
    ]
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
    expect((await collect(runner, jsJob({ code: twoSumJs, tests: other }))).summary.verdict).toBe(
      'passed',
    )
    const again = await collect(runner, jsJob({ code: twoSumJs }))
    expect(again.summary).toMatchObject({ verdict: 'passed', passed: 3 })
    expect(lines.filter((line) => line.includes('sandbox asked for tests again'))).toHaveLength(1)
  })

  it('lets a retired sandbox process finish and exit', async () => {
    const runner = startRunner(1)
    const before = runner.pid ?? 0
    // A fatal out-of-memory inside V8 makes the process retire (see the exploit tests).
    const bomb = jsJob({
      code: 'function twoSum() { const m = new Map(); for (let i = 0; ; i++) m.set(i, [i]) }',
      limits: { memoryMb: 32, wallTimeMs: 10_000, cpuTimeMs: 10_000 },
    })
    expect((await collect(runner, bomb)).results[0]?.verdict).toBe('memory_limit')
    await waitFor(() => !isAlive(before), 'the retired process has exited')
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
  })

  // Issue 13, "a crash loop must not become an outage": the runner used to back off (250 ms,
  // doubling to 30 s) on any death within 10 s of starting, so one candidate whose run killed
  // the sandbox process a few times in a row made every other room's runs wait or fail.
  it('restarts a process that died after starting at once, every time, without backing off', async () => {
    const runner = startRunner(1)
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
    for (let kill = 1; kill <= 5; kill++) {
      const pid = runner.pid ?? 0
      process.kill(pid, 'SIGKILL')
      await waitFor(
        () => runner.pid !== undefined && runner.pid !== pid,
        'a new sandbox process was spawned',
      )
      expect(runner.health).toEqual({ restarts: kill, failedStarts: 0, restartDelayMs: 0 })
      expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
    }
  })

  it('backs off only for a process that cannot start', async () => {
    // A sandbox that dies before `ready`: the concurrency variable is parsed at startup.
    const runner = startRunner(1, {
      env: { TANDEM_SANDBOX_CONCURRENCY: 'not a number' },
      restartDelayMs: { min: 20, max: 60_000 },
    })
    await waitFor(() => runner.health.failedStarts >= 4, 'four starts in a row have failed')
    const { failedStarts, restartDelayMs } = runner.health
    // No wait for the first failure, then 20, 40, 80 ms…
    expect(restartDelayMs).toBe(20 * 2 ** (failedStarts - 2))
    // Meanwhile runs fail at once with a reason rather than wait for a process that never comes.
    const { summary } = await collect(runner, jsJob({ code: twoSumJs }))
    expect(summary).toMatchObject({ verdict: 'internal_error' })
  })

  // Issue 13, "no shared fate": one sandbox process ran every run, so a run that killed it
  // (a native crash in an engine, the kernel's OOM killer) ended every other room's run too.
  it('loses only the runs of the process that died; the other process’s runs go on', async () => {
    const runner = startRunner(2)
    const victim = new AbortController()
    const doomed = spinning()
    const bystander = spinning()
    const doomedRun = record(runner.run(doomed))
    const bystanderRun = record(runner.run(bystander, victim.signal))
    const running = (run: { events: RunnerEvent[] }) =>
      run.events.some((e) => e.type === 'stage' && e.stage === 'running')
    await waitFor(() => running(doomedRun) && running(bystanderRun), 'both runs are running')
    const doomedPid = runner.pidOf(doomed.runId)
    expect(doomedPid).toBeDefined()
    expect(runner.pidOf(bystander.runId)).not.toBe(doomedPid)
    process.kill(doomedPid ?? 0, 'SIGKILL')
    await doomedRun.done
    expect(doomedRun.events.at(-1)).toMatchObject({
      type: 'exit',
      summary: { verdict: 'internal_error' },
    })
    // While the dead process is replaced, the bystander is still running and new runs pass.
    expect((await collect(runner, jsJob({ code: twoSumJs }))).summary.verdict).toBe('passed')
    expect(bystanderRun.events.some((e) => e.type === 'exit')).toBe(false)
    victim.abort()
    await bystanderRun.done
    expect(bystanderRun.events.at(-1)).toMatchObject({
      type: 'exit',
      summary: { verdict: 'cancelled' },
    })
  })

  it('queues runs beyond every process’s slots in one line, first in, first out', async () => {
    const runner = startRunner(2)
    const blockers = [new AbortController(), new AbortController()]
    const busy = blockers.map((b) => record(runner.run(spinning(), b.signal)))
    const waiting = record(runner.run(jsJob({ code: twoSumJs })))
    await waitFor(
      () => busy.every((run) => run.events.length > 0) && waiting.events.length > 0,
      'two runs are starting and the third is queued',
    )
    expect(waiting.events).toEqual([{ type: 'queued', position: 1 }])
    blockers[1]?.abort()
    await waiting.done
    expect(waiting.events.flatMap((e) => (e.type === 'queued' ? [e.position] : []))).toEqual([1, 0])
    expect(waiting.events.at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
    blockers[0]?.abort()
    await Promise.all(busy.map((run) => run.done))
  })
})
