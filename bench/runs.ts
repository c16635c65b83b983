/**
 * The runs benchmark: end-to-end latency of a run, from the candidate's edit and `run:start` to
 * the final event at the interviewer's client, for a 10-test challenge in every language; and
 * throughput (runs/s) with 1, 2, 4, 8 rooms running back to back. Each figure is printed beside a
 * floor measured in the same run on the same machine (see lib/runFloors.ts), with the ratio:
 * absolute times on shared machines drift, ratios hold.
 *
 * Compiled languages are timed edit → results: every run's source differs (a changed comment), so
 * the compile cache cannot answer; an unchanged re-run is reported separately.
 *
 * Usage: node bench/runs.ts [--runs 50] [--reruns 10] [--seconds 4] [--concurrency 1,2,4,8]
 *          [--languages javascript,…] [--throughput-languages …] [--floor-runs 20]
 *          [--slow-floor-runs 6] [--gap-ms 200] [--cpu-prof dir] [--out file.json]
 * Tiny mode (CI): --runs 2 --reruns 1 --seconds 1 --concurrency 1,2 --floor-runs 1 --slow-floor-runs 1
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { solutionPath } from '../protocol/collab.ts'
import { isLanguageId, languageFacts, LanguageIds, type LanguageId } from '../protocol/languages.ts'
import { openBoxHost } from '../sandbox/box/BoxHost.ts'
import { Histogram, type LatencySummary } from './lib/Histogram.ts'
import { machineInfo, type MachineInfo } from './lib/machineInfo.ts'
import { printTable, ratio, type Cell } from './lib/printTable.ts'
import {
  freshIsolateFloor,
  gppColdFloor,
  javaColdFloor,
  nodeSpawnFloor,
  pythonHelloFloor,
  type Floor,
  type FloorCall,
} from './lib/runFloors.ts'
import { RunRoom } from './lib/RunRoom.ts'
import { ServerProcess, type ServerStats } from './lib/ServerProcess.ts'

const { values: flags } = parseArgs({
  options: {
    /** Timed runs per language (edits, for compiled languages). */
    runs: { type: 'string', default: '50' },
    /** Timed unchanged re-runs per compiled language. */
    reruns: { type: 'string', default: '10' },
    /** Seconds of back-to-back runs per language and concurrency level. */
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '1,2,4,8' },
    languages: { type: 'string', default: 'javascript,typescript,python,java,cpp,go' },
    'throughput-languages': { type: 'string', default: 'javascript,typescript,python,java,cpp,go' },
    /** Attempts of each cheap floor (isolate, node spawn, python hello). */
    'floor-runs': { type: 'string', default: '20' },
    /** Attempts of each slow floor (javac + java, g++). */
    'slow-floor-runs': { type: 'string', default: '6' },
    /** Pause between timed latency runs, ms: a room's runs come seconds apart, not back to back. */
    'gap-ms': { type: 'string', default: '200' },
    /** Write the server's and the sandbox's CPU profiles (--cpu-prof) into this folder. */
    'cpu-prof': { type: 'string' },
    out: { type: 'string' },
  },
})

const languagesOf = (list: string): LanguageId[] =>
  list.split(',').map((id) => {
    if (!isLanguageId(id)) throw new Error(`unknown language ${id}`)
    return id
  })
const runs = Number(flags.runs)
const reruns = Number(flags.reruns)
const seconds = Number(flags.seconds)
const levels = flags.concurrency.split(',').map(Number)
const languages = languagesOf(flags.languages)
const throughputLanguages = languagesOf(flags['throughput-languages'])
const floorRuns = Number(flags['floor-runs'])
const slowFloorRuns = Number(flags['slow-floor-runs'])
const gapMs = Number(flags['gap-ms'])
const compiled = new Set<LanguageId>(['java', 'cpp', 'go'])

const root = path.resolve(import.meta.dirname, '..')
const challengesDir = path.join(root, 'bench/fixtures/challenges')
const slug = 'bench-two-sum'
const challengeDir = path.join(challengesDir, slug)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const solutions = Object.fromEntries(
  LanguageIds.map((language) => [
    language,
    readFileSync(
      path.join(challengeDir, `solutions/solution.${languageFacts[language].extension}`),
      'utf8',
    ),
  ]),
) as Record<LanguageId, string>
const fixtureTests = (
  JSON.parse(readFileSync(path.join(challengeDir, 'tests.json'), 'utf8')) as {
    tests: { input: { nums: number[]; target: number } }[]
  }
).tests
const calls: FloorCall[] = fixtureTests.map((test) => [test.input.nums, test.input.target])
const testCount = fixtureTests.length

/**
 * Tags this invocation's edits: the compile cache outlives the server (it is a folder under the
 * OS temp folder), so `edit 1` of an earlier benchmark would otherwise be a cache hit.
 */
const editTag = `${Date.now().toString(36)}-${process.pid}`

/** The source of run `n`: with a comment that changes per run when `edit`, so nothing caches it. */
function sourceOf(language: LanguageId, n: number | null): string {
  const solution = solutions[language]
  if (n === null) return solution
  return `${solution}\n${language === 'python' ? '#' : '//'} edit ${editTag} ${n}\n`
}

/** A run that did not pass all tests is counted by its verdict; the benchmark expects none. */
type Verdicts = Record<string, number>
const count = (verdicts: Verdicts, key: string): void => {
  verdicts[key] = (verdicts[key] ?? 0) + 1
}
const outcomeOf = (summary: { verdict: string; passed: number; total: number }): string =>
  summary.verdict === 'passed' && summary.passed === testCount && summary.total === testCount
    ? 'passed'
    : `${summary.verdict} ${summary.passed}/${summary.total}`

interface LatencyResult {
  /** Runs with a new source each time (compiled) or the same source (interpreted). */
  run: LatencySummary
  /** Compiled languages: unchanged re-runs. */
  rerun: LatencySummary | null
  verdicts: Verdicts
}

interface ThroughputResult {
  concurrency: number
  runs: number
  seconds: number
  runsPerSecond: number
  verdicts: Verdicts
  /** Server process CPU over the window, cores (1 = one core busy), and its event-loop utilisation. */
  serverCpuCores: number
  serverElu: number
  /**
   * CPU spent per run, ms, by where: this process (the socket.io and Yjs clients), the server,
   * the sandbox process with the boxes it reaped. On a shared machine runs/s drifts with the
   * neighbours; CPU per run does not, and `cores × 1000 / total` is what the cores could do.
   */
  cpuMsPerRun: { clients: number; server: number; sandbox: number; total: number }
  capacityRunsPerSecond: number
}

interface FloorResult {
  name: string
  summary: LatencySummary
}

interface RunsResult {
  startedAt: string
  command: string
  machine: MachineInfo
  options: Record<string, unknown>
  latency: Partial<Record<LanguageId, LatencyResult>>
  throughput: Partial<Record<LanguageId, ThroughputResult[]>>
  floors: Record<string, FloorResult>
  targets: { name: string; value: number | null; goal: string; met: boolean | null }[]
}

const started = new Date()
const machine = machineInfo()
console.log(
  `runs benchmark: ${runs} runs per language, ${seconds} s per concurrency level; ` +
    `${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`,
)

const profileDir = flags['cpu-prof'] === undefined ? undefined : path.resolve(flags['cpu-prof'])
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true })
const server = await ServerProcess.start({
  kind: 'tandem',
  env: {
    BENCH_CHALLENGES_DIR: challengesDir,
    // The sandbox process inherits NODE_OPTIONS, so both write a profile when they exit.
    ...(profileDir === undefined
      ? {}
      : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` }),
  },
})
const host = await openBoxHost()
const result: RunsResult = {
  startedAt: started.toISOString(),
  command: `node bench/runs.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine,
  options: {
    runs,
    reruns,
    seconds,
    levels,
    languages,
    throughputLanguages,
    floorRuns,
    slowFloorRuns,
    gapMs,
  },
  latency: {},
  throughput: {},
  floors: {},
  targets: [],
}
const floorHistograms = new Map<string, Histogram>()

/** One attempt of a floor, recorded (µs) under `name`. */
async function timeFloor(name: string, floor: Floor): Promise<void> {
  const start = performance.now()
  await floor()
  const histogram = floorHistograms.get(name) ?? new Histogram()
  histogram.record((performance.now() - start) * 1000)
  floorHistograms.set(name, histogram)
}

/** Floors measured alongside a language's runs: name, attempts, the floor. */
async function floorsOf(language: LanguageId): Promise<[string, number, Floor][]> {
  const js = solutions.javascript
  switch (language) {
    case 'javascript':
      return [
        ['fresh isolate', floorRuns, freshIsolateFloor(js, 'twoSum', calls)],
        ['node spawn', floorRuns, nodeSpawnFloor(js, 'twoSum', calls)],
      ]
    case 'typescript':
      return [['fresh isolate', floorRuns, freshIsolateFloor(js, 'twoSum', calls)]]
    case 'python':
      return [['python hello', floorRuns, await pythonHelloFloor(host)]]
    case 'java':
      return [
        [
          'javac + java',
          slowFloorRuns,
          await javaColdFloor(host, { solution: solutions.java, fn: 'twoSum', calls }),
        ],
      ]
    case 'cpp':
      return [
        [
          'g++ -O2',
          slowFloorRuns,
          await gppColdFloor(host, { solution: solutions.cpp, fn: 'twoSum', calls }),
        ],
      ]
    case 'go':
      return []
  }
}

/** The floor each language's run is compared with. */
const floorFor: Record<LanguageId, string | null> = {
  javascript: 'fresh isolate',
  typescript: 'fresh isolate',
  python: 'python hello',
  java: 'javac + java',
  cpp: 'g++ -O2',
  go: null,
}

const rooms = new Map<LanguageId, RunRoom[]>()
let edits = 0
try {
  const roomCount = Math.max(1, ...levels)
  // Every y-websocket provider in Node adds a process 'exit' listener: one per room here.
  process.setMaxListeners(roomCount * LanguageIds.length + 10)
  for (const language of new Set([...languages, ...throughputLanguages])) {
    const tickets = await server.tickets(roomCount, language, { challengeSlug: slug, language })
    const opened: RunRoom[] = []
    for (const ticket of tickets) {
      if (ticket.tokens === null) throw new Error('Tandem tickets carry tokens')
      opened.push(
        await RunRoom.open({
          httpUrl: server.httpUrl,
          collabUrl: server.serverUrl,
          interviewId: ticket.name,
          candidateToken: ticket.tokens.candidate,
          interviewerToken: ticket.tokens.interviewer,
          filePath: solutionPath(slug, language),
        }),
      )
    }
    rooms.set(language, opened)
  }

  // Latency, with the language's floors interleaved: run, floor, run, floor…
  for (const language of languages) {
    const room = rooms.get(language)?.[0]
    if (room === undefined) continue
    const isCompiled = compiled.has(language)
    const verdicts: Verdicts = {}
    const timed = new Histogram()
    const again = new Histogram()
    const floors = await floorsOf(language)
    // Warm-up: the first runs start the pools, the compile server, the JIT. Not timed, but a
    // warm-up run that did not pass is reported like any other.
    for (let i = 0; i < 3; i++) {
      const outcome = outcomeOf(
        (await room.run(sourceOf(language, isCompiled ? edits++ : null))).summary,
      )
      if (outcome !== 'passed') count(verdicts, `warm-up: ${outcome}`)
    }
    for (let i = 0; i < runs; i++) {
      const outcome = await room.run(sourceOf(language, isCompiled ? edits++ : null))
      timed.record(outcome.ms * 1000)
      count(verdicts, outcomeOf(outcome.summary))
      for (const [name, attempts, floor] of floors) {
        if (i < attempts) await timeFloor(name, floor)
      }
      await sleep(gapMs)
    }
    let rerun: LatencySummary | null = null
    if (isCompiled) {
      const source = sourceOf(language, edits++)
      await room.run(source)
      for (let i = 0; i < reruns; i++) {
        const outcome = await room.run(source)
        again.record(outcome.ms * 1000)
        count(verdicts, outcomeOf(outcome.summary))
        await sleep(gapMs)
      }
      rerun = again.summary()
    }
    // Floors with more attempts than runs (tiny runs) still get theirs.
    for (const [name, attempts, floor] of floors) {
      while ((floorHistograms.get(name)?.count ?? 0) < Math.min(attempts, 1))
        await timeFloor(name, floor)
    }
    result.latency[language] = { run: timed.summary(), rerun, verdicts }
    const floor = floorFor[language]
    console.log(
      `${language}: run p50 ${timed.summary().p50Ms.toFixed(1)} ms` +
        (floor === null
          ? ''
          : `; ${floor} p50 ${floorHistograms.get(floor)?.summary().p50Ms.toFixed(1)} ms`),
    )
  }
  for (const [name, histogram] of floorHistograms)
    result.floors[name] = { name, summary: histogram.summary() }

  // Throughput: `c` rooms, each asking for its next run as soon as the last one ended.
  for (const language of throughputLanguages) {
    const all = rooms.get(language) ?? []
    const isCompiled = compiled.has(language)
    const levelsDone: ThroughputResult[] = []
    for (const concurrency of levels) {
      const active = all.slice(0, concurrency)
      const verdicts: Verdicts = {}
      const before = await server.stats()
      const cpuBefore = cpuSnapshot(server.pid)
      const start = performance.now()
      const deadline = start + seconds * 1000
      let completed = 0
      await Promise.all(
        active.map(async (room) => {
          while (performance.now() < deadline) {
            const outcome = await room.run(sourceOf(language, isCompiled ? edits++ : null))
            count(verdicts, outcomeOf(outcome.summary))
            completed++
          }
        }),
      )
      const elapsed = (performance.now() - start) / 1000
      const cpuAfter = cpuSnapshot(server.pid)
      const after = await server.stats()
      const eluActive = after.eluActiveMs - before.eluActiveMs
      const eluIdle = after.eluIdleMs - before.eluIdleMs
      levelsDone.push({
        concurrency,
        runs: completed,
        seconds: Math.round(elapsed * 100) / 100,
        runsPerSecond: Math.round((completed / elapsed) * 10) / 10,
        verdicts,
        serverCpuCores: cpuCores(before, after, elapsed),
        serverElu: Math.round((eluActive / Math.max(1, eluActive + eluIdle)) * 100) / 100,
        ...cpuPerRun(cpuBefore, cpuAfter, completed),
      })
    }
    result.throughput[language] = levelsDone
    console.log(
      `${language}: ${levelsDone.map((l) => `c${l.concurrency} ${l.runsPerSecond}/s`).join(', ')}`,
    )
  }
} finally {
  for (const list of rooms.values()) for (const room of list) room.close()
  await server.close()
  await host.close()
}

/** CPU so far, ms: this process, the server, and its children with the children they reaped. */
interface CpuSnapshot {
  clients: number
  server: number
  sandbox: number
}

/** Linux /proc: utime, stime (and cutime, cstime of reaped children) of one process, ms. */
function procCpuMs(pid: number, withReaped: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number)
    const ticks =
      (fields[11] ?? 0) +
      (fields[12] ?? 0) +
      (withReaped ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0)
    return ticks * 10
  } catch {
    return 0
  }
}

function cpuSnapshot(serverPid: number): CpuSnapshot {
  const own = process.cpuUsage()
  let sandbox = 0
  try {
    for (const tid of readdirSync(`/proc/${serverPid}/task`)) {
      for (const child of readFileSync(`/proc/${serverPid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)) {
        sandbox += procCpuMs(Number(child), true)
      }
    }
  } catch {
    // Not Linux: the sandbox's share stays 0.
  }
  return { clients: (own.user + own.system) / 1000, server: procCpuMs(serverPid, false), sandbox }
}

function cpuPerRun(
  before: CpuSnapshot,
  after: CpuSnapshot,
  completed: number,
): Pick<ThroughputResult, 'cpuMsPerRun' | 'capacityRunsPerSecond'> {
  const per = (key: keyof CpuSnapshot): number =>
    Math.round(((after[key] - before[key]) / Math.max(1, completed)) * 100) / 100
  const cpuMsPerRun = {
    clients: per('clients'),
    server: per('server'),
    sandbox: per('sandbox'),
    total: 0,
  }
  cpuMsPerRun.total =
    Math.round((cpuMsPerRun.clients + cpuMsPerRun.server + cpuMsPerRun.sandbox) * 100) / 100
  const capacity = cpuMsPerRun.total === 0 ? 0 : (machine.cores * 1000) / cpuMsPerRun.total
  return { cpuMsPerRun, capacityRunsPerSecond: Math.round(capacity * 10) / 10 }
}

function cpuCores(before: ServerStats, after: ServerStats, elapsed: number): number {
  return Math.round(((after.cpuUs - before.cpuUs) / 1e6 / elapsed) * 100) / 100
}

// Targets (docs/PERFORMANCE.md): ratios to the floors, and runs/s on this machine.
const p50 = (language: LanguageId): number | null => result.latency[language]?.run.p50Ms ?? null
const floorP50 = (name: string | null): number | null =>
  name === null ? null : (result.floors[name]?.summary.p50Ms ?? null)
const best = (language: LanguageId): number | null => {
  const levelsDone = result.throughput[language]
  return levelsDone === undefined ? null : Math.max(...levelsDone.map((l) => l.runsPerSecond))
}
/** A goal on a measured value: its text for the table, and whether a value meets it. */
interface Goal {
  goal: string
  met: (value: number) => boolean
}
const atMost = (limit: number): Goal => ({ goal: `≤ ${limit}`, met: (v) => v <= limit })
const atLeast = (floor: number, note: string): Goal => ({
  goal: `≥ ${floor} ${note}`,
  met: (v) => v >= floor,
})
const target = (name: string, value: number | null, { goal, met }: Goal) =>
  result.targets.push({ name, value, goal, met: value === null ? null : met(value) })
target(
  'JavaScript run p50 / fresh isolate p50',
  ratio(floorP50('fresh isolate'), p50('javascript')),
  atMost(3),
)
target(
  'TypeScript run p50 / fresh isolate p50',
  ratio(floorP50('fresh isolate'), p50('typescript')),
  atMost(3),
)
target(
  'Python run p50 / cold sandboxed python hello p50',
  ratio(floorP50('python hello'), p50('python')),
  atMost(0.5),
)
target(
  'Java edit → results p50 / cold javac + java p50',
  ratio(floorP50('javac + java'), p50('java')),
  atMost(0.4),
)
target(
  'C++ edit → results p50 / cold g++ -O2 p50',
  ratio(floorP50('g++ -O2'), p50('cpp')),
  atMost(0.5),
)
target('JavaScript runs/s (best concurrency)', best('javascript'), atLeast(300, 'on 2 cores'))
target('Python runs/s (best concurrency)', best('python'), atLeast(40, 'on 2 cores'))

const latencyRows: Cell[][] = languages.map((language) => {
  const latency = result.latency[language]
  const floor = floorFor[language]
  return [
    language,
    latency?.run.samples ?? null,
    latency?.run.p50Ms ?? null,
    latency?.run.p99Ms ?? null,
    latency?.rerun?.p50Ms ?? null,
    floor ?? '—',
    floorP50(floor),
    ratio(floorP50(floor), latency?.run.p50Ms),
  ]
})
printTable(
  'Run latency, edit + run:start → exit at the interviewer (ms)',
  ['language', 'runs', 'p50', 'p99', 'rerun p50', 'floor', 'floor p50', 'ratio'],
  latencyRows,
)
printTable(
  'Floors, measured in this run (ms)',
  ['floor', 'samples', 'p50', 'p99', 'max'],
  Object.values(result.floors).map((f) => [
    f.name,
    f.summary.samples,
    f.summary.p50Ms,
    f.summary.p99Ms,
    f.summary.maxMs,
  ]),
)
const nodeSpawn = floorP50('node spawn')
printTable(
  'Throughput, runs/s with c rooms running back to back',
  [
    'language',
    ...levels.map((c) => `c=${c}`),
    'server ELU',
    'cpu ms/run: clients',
    'server',
    'sandbox+boxes',
    'capacity runs/s',
  ],
  throughputLanguages.map((language) => {
    const levelsDone = result.throughput[language] ?? []
    // CPU figures of the busiest level (the most runs).
    const busiest = [...levelsDone].sort((a, b) => b.runs - a.runs)[0]
    return [
      language,
      ...levels.map((c) => levelsDone.find((l) => l.concurrency === c)?.runsPerSecond ?? null),
      busiest?.serverElu ?? null,
      busiest?.cpuMsPerRun.clients ?? null,
      busiest?.cpuMsPerRun.server ?? null,
      busiest?.cpuMsPerRun.sandbox ?? null,
      busiest?.capacityRunsPerSecond ?? null,
    ]
  }),
)
if (nodeSpawn !== null) {
  console.log(
    `\n  naive baseline: node spawned per run p50 ${nodeSpawn} ms; JavaScript run is ` +
      `${ratio(nodeSpawn, p50('javascript'))}× of it`,
  )
}
printTable(
  'Targets',
  ['target', 'value', 'goal', 'met'],
  result.targets.map((t) => [t.name, t.value, t.goal, t.met === null ? '—' : t.met ? 'yes' : 'NO']),
)

const failed = Object.entries(result.latency).flatMap(([language, latency]) =>
  Object.keys(latency.verdicts)
    .filter((v) => v !== 'passed')
    .map((v) => `${language}: ${v}`),
)
const out =
  flags.out ??
  path.join(root, `bench/results/runs-${started.toISOString().replace(/[:.]/g, '-')}.json`)
mkdirSync(path.dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`\nwrote ${path.relative(process.cwd(), out)}`)
if (failed.length > 0) {
  console.error(`runs that did not pass: ${failed.join(', ')}`)
  process.exitCode = 1
}
