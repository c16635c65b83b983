/**
 * Not a test: prints the bubblewrap engine's speed against cold baselines, for docs/LANGUAGES.md
 * until bench/ measures it. Run: `node tests/box/measureSpeed.ts [rounds]` (default 15).
 *
 *   Python   run p50 vs a cold sandboxed `python3 -c 'print("hello")'` (same walls, no pool)
 *   Java     edit → results p50 (a new source each time) vs cold `javac` + `java`, unsandboxed
 *   C++      edit → results p50 vs cold `g++ -O2`, unsandboxed
 *   Go       edit → results p50
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { LanguageId } from '../../protocol/languages.ts'
import { Box } from '../../sandbox/box/Box.ts'
import { openBoxHost } from '../../sandbox/box/BoxHost.ts'
import { pythonSpec } from '../../sandbox/languages/python/spec.ts'
import { createTestEngine, runJob, twoSumJob } from './boxTestKit.ts'

const run = promisify(execFile)
const rounds = Number(process.argv[2] ?? 15)
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const solution = (extension: string) =>
  readFile(
    new URL(`../../challenges/two-sum/solutions/solution.${extension}`, import.meta.url),
    'utf8',
  )

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await action()
  return performance.now() - start
}

const host = await openBoxHost()
const python = await pythonSpec.locate()
const coldHello = () =>
  Box.start(host, {
    command: ['/usr/bin/python3', '-c', 'print("hello")'],
    env: { PATH: '/usr/bin' },
    binds: python.binds,
    workDir: host.scratchDir,
    files: [],
    limits: {
      memoryBytes: 256 << 20,
      pids: 32,
      cpuSecondsPerProcess: 10,
      fileSizeBytes: 1 << 20,
      openFiles: 64,
      stackBytes: 64 << 20,
      tmpfsBytes: 16 << 20,
      outputBytes: 1 << 20,
      artifactBytes: 0,
    },
    budget: { wallMs: 10_000, cpuMs: 10_000 },
    stdin: Buffer.alloc(0),
    mergeStderr: true,
  }).then((box) => box.done)

const engine = createTestEngine()
await engine.warm()
const pythonSource = await solution('py')
await runJob(engine, twoSumJob('python', pythonSource))
const cold: number[] = []
const pooled: number[] = []
for (let i = 0; i < rounds; i++) {
  cold.push(await timed(coldHello))
  // Runs arrive seconds apart in a room; the pool refills in between.
  await pause(150)
  pooled.push(await timed(() => runJob(engine, twoSumJob('python', pythonSource))))
  await pause(150)
}
console.log(
  `python: run p50 ${median(pooled).toFixed(0)} ms; cold sandboxed hello p50 ${median(cold).toFixed(0)} ms; ` +
    `ratio ${(median(pooled) / median(cold)).toFixed(2)}`,
)

const scratch = await mkdtemp(path.join(os.tmpdir(), 'tandem-measure-'))
const baselines: Partial<Record<LanguageId, () => Promise<unknown>>> = {
  java: async () => {
    await writeFile(path.join(scratch, 'Solution.java'), await solution('java'))
    await run('javac', ['-d', scratch, path.join(scratch, 'Solution.java')])
    await writeFile(
      path.join(scratch, 'Main.java'),
      'public class Main { public static void main(String[] a) { Solution.twoSum(new long[] {2, 7}, 9); } }',
    )
    await run('javac', ['-cp', scratch, '-d', scratch, path.join(scratch, 'Main.java')])
    await run('java', ['-cp', scratch, 'Main'])
  },
  cpp: async () => {
    const main = path.join(scratch, 'main.cpp')
    await writeFile(path.join(scratch, 'solution.cpp'), await solution('cpp'))
    await writeFile(
      main,
      '#include "solution.cpp"\nint main() { std::vector<long long> v{2, 7}; return (int)twoSum(v, 9).size() - 2; }\n',
    )
    await run('g++', ['-O2', '-std=c++17', '-o', path.join(scratch, 'main'), main])
  },
}
for (const [language, extension] of [
  ['java', 'java'],
  ['cpp', 'cpp'],
  ['go', 'go'],
] as const) {
  const source = await solution(extension)
  const edits: number[] = []
  const base: number[] = []
  for (let i = 0; i < Math.min(rounds, 8); i++) {
    const edited = `${source}\n// edit ${Math.random()}\n`
    edits.push(await timed(() => runJob(engine, twoSumJob(language, edited))))
    const baseline = baselines[language]
    if (baseline !== undefined) base.push(await timed(baseline))
  }
  const ratio =
    base.length === 0
      ? ''
      : `; cold baseline p50 ${median(base).toFixed(0)} ms; ratio ${(median(edits) / median(base)).toFixed(2)}`
  console.log(`${language}: edit → results p50 ${median(edits).toFixed(0)} ms${ratio}`)
}
await rm(scratch, { recursive: true, force: true })
await engine.close()
await host.close()
