/**
 * The scheduler's promise of exactly one `exit`, whatever the engine does. The real engines do
 * not misbehave on demand, so these engines do, on purpose: reject, emit after the end, hang.
 */
import { describe, expect, it } from 'vitest'
import type { LanguageInfo } from '../../protocol/languages.ts'
import type { RunnerEvent, RunSummary } from '../../protocol/run.ts'
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
      summary: { verdict: 'internal_error', message: 'A run with this id is already in progress' },
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
          message: 'Python 3 is not available in this sandbox',
        }) as unknown,
      },
    ])
    await scheduler.close()
  })
})
