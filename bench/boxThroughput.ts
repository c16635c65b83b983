/**
 * Python runs per second through the bubblewrap engine alone: no server, no socket.io, no
 * sandbox process, no scheduler. `bench/runs.ts` measures the whole path; this tells how much of
 * its Python throughput the engine itself leaves (docs/PERFORMANCE.md, "Runs").
 *
 *   node bench/boxThroughput.ts [--tests 10] [--hidden 0] [--seconds 4] [--concurrency 1,2,4]
 *
 * `--hidden n` makes the last n tests hidden: they run in a second box of their own.
 *
 * Prints runs/s per concurrency and the engine process's own CPU per run (the boxes' CPU is not
 * counted: it is spent in their processes).
 */
import { parseArgs } from 'node:util'
import type { RunJob } from '../protocol/run.ts'
import { BoxEngine } from '../sandbox/box/BoxEngine.ts'
import { makeJob, twoSumProblem } from '../tests/box/boxTestKit.ts'
import { printTable } from './lib/printTable.ts'

const { values: flags } = parseArgs({
  options: {
    tests: { type: 'string', default: '10' },
    hidden: { type: 'string', default: '0' },
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '1,2,4' },
  },
})

const source =
  'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n'
function job(): RunJob {
  return makeJob({
    language: 'python',
    source,
    problem: twoSumProblem,
    tests: Array.from({ length: Number(flags.tests) }, (_, index) => ({
      args: [[2, 7, 11, 15], 9],
      expected: [0, 1],
      hidden: index >= Number(flags.tests) - Number(flags.hidden),
    })),
  })
}

const engine = new BoxEngine({ prebuild: false })
await engine.probe()
const run = async (): Promise<void> => {
  const summary = await engine.run({
    job: job(),
    emit: () => undefined,
    signal: new AbortController().signal,
  })
  if (summary.verdict !== 'passed') throw new Error(`run ended ${summary.verdict}`)
}
for (let i = 0; i < 5; i++) await run()

const rows: (string | number)[][] = []
for (const concurrency of flags.concurrency.split(',').map(Number)) {
  const until = performance.now() + Number(flags.seconds) * 1000
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  let done = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await run()
        done++
      }
    }),
  )
  const cpu = process.cpuUsage(cpuBefore)
  rows.push([
    concurrency,
    done / ((performance.now() - started) / 1000),
    (cpu.user + cpu.system) / 1000 / done,
    Math.round(process.memoryUsage.rss() / 2 ** 20),
  ])
}
await engine.close()
printTable(
  `Python through the bubblewrap engine alone, ${flags.tests} tests per run (${flags.hidden} hidden)`,
  ['concurrency', 'runs/s', 'engine CPU ms/run', 'engine RSS MiB'],
  rows,
)
