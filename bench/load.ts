/**
 * The load benchmark (`npm run bench:load`): 500 live rooms typing (the collaboration workload:
 * a candidate at 5 chars/s in bursts, an interviewer at 0.5 chars/s, an observer, a cursor move
 * per keystroke) while each room runs its code every 30 s — the challenge's tests in JavaScript,
 * through socket.io `run:start`, on the real sandbox process (isolated-vm).
 *
 * Its baselines, measured in the same run: the same rooms typing without runs (keystroke latency,
 * server CPU and memory), and a run asked for every 2 s in one room of an idle server (run
 * latency at rest). Typing-only and typing-with-runs windows alternate, so drift on a shared
 * machine lands on both alike.
 *
 *   node bench/load.ts                                        # 500 rooms (~6 min)
 *   node bench/load.ts --rooms 3 --seconds 3 --run-every 1    # tiny mode, as tests/bench runs it
 *
 * Writes bench/results/load-<time>.json (or --out) and prints each figure beside its baseline.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import {
  CollabFleet,
  mergeWindows,
  type WindowResult,
  type WindowSample,
} from './lib/CollabFleet.ts'
import { candidatePace, interviewerPace } from './lib/Typist.ts'
import { machineInfo } from './lib/machineInfo.ts'
import { printTable, ratio, type Cell } from './lib/printTable.ts'

const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string', default: '500' },
    /** Measured seconds per phase (typing only; typing + runs), split over `rounds`. */
    seconds: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '20' },
    'run-every': { type: 'string', default: '30' },
    /** Runs asked for one after another on the idle server, for the at-rest baseline. */
    'rest-runs': { type: 'string', default: '10' },
    shards: { type: 'string', default: '2' },
    /** Seconds a run still going at a window's end may take before it counts as censored. */
    'run-grace': { type: 'string', default: '10' },
    'saturated-elu': { type: 'string', default: '0.9' },
    out: { type: 'string' },
  },
})

const rooms = Number(flags.rooms)
const seconds = Number(flags.seconds)
const rounds = Math.max(1, Number(flags.rounds))
const warmup = Number(flags.warmup)
const runEveryMs = Number(flags['run-every']) * 1000
const saturatedElu = Number(flags['saturated-elu'])
/** After typing or runs resume, this long passes before a window opens. */
const settleSeconds = Math.min(5, warmup)
const runGraceMs = Number(flags['run-grace']) * 1000

const started = new Date()
const machine = machineInfo()
console.log(
  `load benchmark: ${rooms} rooms typing, a run every ${runEveryMs / 1000} s per room; ` +
    `${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`,
)

const fleet = await CollabFleet.start({ kind: 'tandem', shards: Number(flags.shards) })
let atRest: WindowResult
let typing: WindowResult
let withRuns: WindowResult
let verification: Awaited<ReturnType<CollabFleet['verify']>>
try {
  const specs = await fleet.prepareRooms(rooms)
  await fleet.openRooms(specs)

  // At rest: one room asks for a run every 2 s, nothing else happens.
  console.log('runs at rest')
  const probe = specs.slice(0, 1)
  await fleet.openRunners(probe, 2000)
  await fleet.startRuns()
  await sleep(2000) // the sandbox's first run warms it up
  const restSeconds = Number(flags['rest-runs']) * 2
  atRest = mergeWindows([await fleet.window(restSeconds, { graceMs: runGraceMs })], saturatedElu)
  await fleet.stopRuns()
  await fleet.closeRunners()

  console.log(`typing in ${rooms} rooms, warming up`)
  await fleet.openRunners(specs, runEveryMs)
  await fleet.resume()
  await sleep(warmup * 1000)
  const typingSamples: WindowSample[] = []
  const runSamples: WindowSample[] = []
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds}: typing only`)
    await sleep(settleSeconds * 1000)
    typingSamples.push(await fleet.window(seconds / rounds, { graceMs: runGraceMs }))
    console.log(`round ${r + 1}/${rounds}: typing + runs`)
    await fleet.startRuns()
    await sleep(settleSeconds * 1000)
    runSamples.push(await fleet.window(seconds / rounds, { graceMs: runGraceMs }))
    await fleet.stopRuns()
  }
  typing = mergeWindows(typingSamples, saturatedElu)
  withRuns = mergeWindows(runSamples, saturatedElu)
  await fleet.pause()
  verification = await fleet.verify()
} finally {
  await fleet.close()
}

const row = (label: string, pick: (w: WindowResult) => number | null): Cell[] => {
  const a = pick(typing)
  const b = pick(withRuns)
  return [label, a, b, ratio(a, b)]
}
printTable(
  `load @ ${rooms} rooms`,
  ['', 'typing only', 'typing + runs', 'ratio'],
  [
    row('keystroke p50 (ms)', (w) => w.latency.p50Ms),
    row('keystroke p90 (ms)', (w) => w.latency.p90Ms),
    row('keystroke p99 (ms)', (w) => w.latency.p99Ms),
    row('keystroke max (ms)', (w) => w.latency.maxMs),
    row('keystrokes', (w) => w.keystrokes),
    row('server CPU (cores)', (w) => w.serverCpuCores),
    row('server CPU per keystroke (µs)', (w) => w.serverCpuUsPerKeystroke),
    row('server ELU', (w) => w.serverElu),
    row('server event-loop delay p99 (ms)', (w) => w.serverLoopDelay.p99Ms),
    row('server event-loop delay max (ms)', (w) => w.serverLoopDelay.maxMs),
    row('server GC pause (ms per s)', (w) => w.serverGc.msPerSecond),
    row('sandbox CPU (cores)', (w) => w.childCpuCores),
    row('server RSS (MiB)', (w) => w.serverRssMiB),
    row('sandbox RSS (MiB)', (w) => w.childRssMiB),
    row('generator ELU (max)', (w) => Math.max(...w.generators.map((g) => g.elu))),
    [
      'generator-bound',
      typing.generatorBound ? 'yes' : 'no',
      withRuns.generatorBound ? 'yes' : 'no',
      null,
    ],
  ],
)
const runRow = (label: string, pick: (w: NonNullable<WindowResult['runs']>) => number): Cell[] => {
  const a = atRest.runs === null ? null : pick(atRest.runs)
  const b = withRuns.runs === null ? null : pick(withRuns.runs)
  return [label, a, b, ratio(a, b)]
}
printTable(
  'runs: run:start → exit at the other client',
  ['', 'at rest', `${rooms} rooms`, 'ratio'],
  [
    runRow('run p50 (ms)', (r) => r.p50Ms),
    runRow('run p90 (ms)', (r) => r.p90Ms),
    runRow('run p99 (ms)', (r) => r.p99Ms),
    runRow('run max (ms)', (r) => r.maxMs),
    runRow('runs', (r) => r.samples),
  ],
)
console.log(`  outcomes under load: ${JSON.stringify(withRuns.runs?.outcomes ?? {})}`)
console.log(
  `  text check: ${verification.lost} lost, ${verification.duplicated} duplicated, ` +
    `${verification.exactReplicas + verification.serverExact}/` +
    `${verification.replicas + verification.serverReplicas} replicas exact`,
)

const result = {
  benchmark: 'load',
  command: `node bench/load.ts ${process.argv.slice(2).join(' ')}`.trim(),
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  machine,
  settings: {
    rooms,
    seconds,
    rounds,
    warmupSeconds: warmup,
    runEverySeconds: runEveryMs / 1000,
    shards: Number(flags.shards),
    workload: {
      candidate: candidatePace,
      interviewer: interviewerPace,
      observer: 'connected, publishes its presence, never types',
      runs:
        "the candidate's socket.io client sends run:start { mode: 'tests' } every runEverySeconds " +
        "(phases spread over the period); the code is the room's JavaScript file (the challenge's " +
        'reference solution plus the typed comments); latency is until the interviewer sees exit',
    },
    server:
      'the real startTandem on a temp DATA_DIR with its sandbox process (isolated-vm for ' +
      'JavaScript), default settings',
  },
  runsAtRest: atRest.runs,
  typingOnly: typing,
  typingWithRuns: withRuns,
  ratio: {
    keystrokeP99: ratio(typing.latency.p99Ms, withRuns.latency.p99Ms),
    serverCpu: ratio(typing.serverCpuCores, withRuns.serverCpuCores),
    serverRss: ratio(typing.serverRssMiB, withRuns.serverRssMiB),
    runP99: ratio(atRest.runs?.p99Ms, withRuns.runs?.p99Ms),
  },
  verification,
}
const out =
  flags.out ??
  path.resolve(
    import.meta.dirname,
    'results',
    `load-${started.toISOString().replace(/[:.]/g, '-')}.json`,
  )
mkdirSync(path.dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`\nwrote ${path.relative(process.cwd(), out)}`)
