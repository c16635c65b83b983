/**
 * The scheduler's promise of exactly one `exit`, whatever the engine does. The real engines do
 * not misbehave on demand, so these engines do, on purpose: reject, emit after the end, hang.
 */
import { describe, expect, it } from 'vitest'
import type { LanguageInfo } from '../../protocol/languages.ts'
import {
  cancelledMessage,
  cancelledSummary,
  internalErrorMessage,
  type RunnerEvent,
  type RunSummary,
} from '../../protocol/run.ts'
import type { Engine, EngineRun } from '../../sandbox/Engine.ts'
import { Scheduler } from '../../sandbox/Scheduler.ts'
import { jsJob } from './jsKit.ts'

function engine(run: (run: EngineRun) => Promise<RunSummary>): Engine {
  return {
    languages: ['javascript'],
    probe: () => Promise.resolve<LanguageInfo[]>([]),
    run,
    close: () => Promise.resolve(),
  }
}

const passed: RunSummary = { verdict: 'passed', passed: 3, total: 3, durationMs: 1, message: 'ok' }

/** Submits a job and resolves with its events once its exit has been emitted. */
function submit(scheduler: Scheduler, job = jsJob({ code: '' })): Promise<RunnerEvent[]> {
  return new Promise((resolve) => {
    const events: RunnerEvent[] = []
    scheduler.submit(job, (event) => {
      events.push(event)
      if (event.type === 'exit') setImmediate(() => resolve(events))
    })
  })
}

describe('scheduler', () => {
  it('turns an engine’s rejection into internal_error that does not blame the code', async () => {
    const scheduler = new Scheduler({
      engines: [engine(() => Promise.reject(new Error('engine bug')))],
      log: () => {},
    })
    const events = await submit(scheduler)
    expect(events.at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'internal_error',
        message: expect.stringMatching(/not a problem with the code/) as unknown,
      },
    })
    await scheduler.close()
  })

  it('drops what an engine emits after its run has ended', async () => {
    let emitLate: () => void = () => {}
    const scheduler = new Scheduler({
      engines: [
        engine((run) => {
          emitLate = () => {
            run.emit({ type: 'stage', stage: 'running' })
          }
          return Promise.resolve(passed)
        }),
      ],
    })
    const events = await submit(scheduler)
    emitLate()
    expect(events.map((e) => e.type)).toEqual(['queued', 'exit'])
    await scheduler.close()
  })

  it('abandons an engine that outlives its job’s limits and frees the slot', async () => {
    const scheduler = new Scheduler({
      engines: [
        engine((run) =>
          run.job.runId.endsWith('hang')
            ? new Promise<RunSummary>(() => {})
            : Promise.resolve(passed),
        ),
      ],
      concurrency: 1,
      graceMs: 10,
      log: () => {},
    })
    const hung = jsJob({ code: '', tests: [], limits: { wallTimeMs: 1, cpuTimeMs: 1 } })
    const stuck = submit(scheduler, { ...hung, runId: `${hung.runId}-hang` })
    const next = submit(scheduler)
    expect((await stuck).at(-1)).toMatchObject({
      type: 'exit',
      summary: { verdict: 'internal_error' },
    })
    expect((await next).at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
    await scheduler.close()
  })

  it('refuses a second run with the same id while the first is in flight', async () => {
    let finish: (summary: RunSummary) => void = () => {}
    const scheduler = new Scheduler({
      engines: [engine(() => new Promise((resolve) => (finish = resolve)))],
    })
    const job = jsJob({ code: '' })
    const first = submit(scheduler, job)
    const second = await submit(scheduler, job)
    expect(second.at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'internal_error',
        message: internalErrorMessage('A run with this id is already in progress'),
      },
    })
    finish(passed)
    expect((await first).at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
    await scheduler.close()
  })

  it('reports languages no engine runs as unavailable', async () => {
    const scheduler = new Scheduler({ engines: [engine(() => Promise.resolve(passed))] })
    const python = (await scheduler.languages()).find((l) => l.id === 'python')
    expect(python).toMatchObject({
      available: false,
      reason: 'No engine in this sandbox runs Python 3',
    })
    const events = await submit(scheduler, { ...jsJob({ code: '' }), language: 'python' })
    expect(events).toEqual([
      { type: 'queued', position: 0 },
      {
        type: 'exit',
        summary: expect.objectContaining({
          verdict: 'internal_error',
          message: internalErrorMessage('Python 3 is not available in this sandbox'),
        }) as unknown,
      },
    ])
    await scheduler.close()
  })
})

describe('cancelling in the scheduler', () => {
  /** An engine that reports its first test passed, then runs until it is aborted. */
  function passOneThenSpin(): { engine: Engine; aborted: Promise<void>; started: Promise<void> } {
    let onAborted: () => void = () => {}
    let onStarted: () => void = () => {}
    const aborted = new Promise<void>((resolve) => (onAborted = resolve))
    const started = new Promise<void>((resolve) => (onStarted = resolve))
    return {
      aborted,
      started,
      engine: engine(async (run) => {
        const [first] = run.job.tests
        if (first !== undefined) {
          run.emit({
            type: 'test',
            result: {
              testId: first.id,
              index: 0,
              name: first.name,
              hidden: false,
              verdict: 'passed',
              durationMs: 1,
            },
          })
        }
        onStarted()
        await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve()))
        onAborted()
        // What an engine says once aborted never reaches the stream: the exit went out already.
        return { ...passed, message: 'the engine’s own summary' }
      }),
    }
  }

  it('ends a running job with one cancelled exit at once, counting what passed before', async () => {
    const spin = passOneThenSpin()
    const scheduler = new Scheduler({ engines: [spin.engine] })
    const job = jsJob({ code: '' })
    const events = submit(scheduler, job)
    await spin.started
    scheduler.cancel(job.runId)
    const seen = await events
    await spin.aborted
    expect(seen.filter((e) => e.type === 'exit')).toHaveLength(1)
    expect(seen.at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'cancelled',
        passed: 1,
        total: job.tests.length,
        message: cancelledMessage,
      },
    })
    await scheduler.close()
  })

  it('ends a queued job with a cancelled exit and moves the ones behind it up', async () => {
    const spin = passOneThenSpin()
    const scheduler = new Scheduler({ engines: [spin.engine], concurrency: 1 })
    const running = jsJob({ code: '' })
    const queued = { ...jsJob({ code: '' }), runId: `${running.runId}-queued` }
    const last = { ...jsJob({ code: '' }), runId: `${running.runId}-last` }
    const runningEvents = submit(scheduler, running)
    await spin.started
    const queuedEvents = submit(scheduler, queued)
    const lastSeen: RunnerEvent[] = []
    scheduler.submit(last, (event) => lastSeen.push(event))
    expect(lastSeen).toEqual([{ type: 'queued', position: 2 }])

    scheduler.cancel(queued.runId)
    expect(await queuedEvents).toEqual([
      { type: 'queued', position: 1 },
      { type: 'exit', summary: cancelledSummary(queued.tests.length) },
    ])
    expect(lastSeen).toEqual([
      { type: 'queued', position: 2 },
      { type: 'queued', position: 1 },
    ])
    scheduler.cancel(running.runId)
    await runningEvents
    scheduler.cancel(last.runId)
    await scheduler.close()
  })

  it('ends a job stopped for a shutdown with internal_error, not cancelled', async () => {
    const spin = passOneThenSpin()
    const scheduler = new Scheduler({ engines: [spin.engine] })
    const job = jsJob({ code: '' })
    const events = submit(scheduler, job)
    await spin.started
    scheduler.cancel(job.runId, 'shutdown')
    expect((await events).at(-1)).toMatchObject({
      type: 'exit',
      summary: {
        verdict: 'internal_error',
        message: internalErrorMessage('The sandbox is shutting down'),
      },
    })
    await scheduler.close()
  })

  it('ignores a cancel for a job it does not have, or one that has exited', async () => {
    const scheduler = new Scheduler({ engines: [engine(() => Promise.resolve(passed))] })
    const job = jsJob({ code: '' })
    const events = await submit(scheduler, job)
    scheduler.cancel(job.runId)
    scheduler.cancel('no-such-run')
    expect(events.map((e) => e.type)).toEqual(['queued', 'exit'])
    expect(events.at(-1)).toMatchObject({ summary: { verdict: 'passed' } })
    await scheduler.close()
  })
})
