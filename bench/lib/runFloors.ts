/**
 * The floors the runs benchmark compares Tandem against: what the same work costs done once, cold,
 * without Tandem's pools and caches, measured in the benchmark's own process on the same machine.
 *
 *   fresh isolate   a new isolated-vm isolate + context compiling the solution and calling it on
 *                   every test input (the least a JS/TS run can cost in a new isolate)
 *   node spawn      the naive runner: `node -e` per run with the solution and the calls
 *   python hello    a cold `python3 -c 'print("hello")'` in the same bubblewrap walls, no pool
 *   javac + java    a cold `javac` of the solution and a main, then `java`, in a box
 *   g++ -O2         a cold `g++ -O2` of the solution and a main, in a box
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import ivm from 'isolated-vm'
import { Box, type BoxLimits } from '../../sandbox/box/Box.ts'
import type { BoxHost } from '../../sandbox/box/BoxHost.ts'
import type { Bind } from '../../sandbox/box/LanguageSpec.ts'
import { cppSpec } from '../../sandbox/languages/cpp/spec.ts'
import { javaSpec } from '../../sandbox/languages/java/spec.ts'
import { pythonSpec } from '../../sandbox/languages/python/spec.ts'

const execFileAsync = promisify(execFile)

/** One call of the solution: its arguments, in the challenge's parameter order. */
export type FloorCall = unknown[]

/** A floor: one cold attempt, resolving once the work is done (rejecting when it failed). */
export type Floor = () => Promise<void>

/** Generous limits: a floor measures cold start, never a limit. */
const floorLimits: BoxLimits = {
  memoryBytes: 2048 * 2 ** 20,
  pids: 256,
  cpuSecondsPerProcess: 60,
  fileSizeBytes: 256 << 20,
  openFiles: 256,
  stackBytes: 64 << 20,
  tmpfsBytes: 512 << 20,
  outputBytes: 1 << 20,
  artifactBytes: 0,
}

/** `twoSum(a, b)` calls of the JavaScript solution, printed as JSON. */
function jsProgram(solution: string, fn: string, calls: FloorCall[]): string {
  const lines = calls.map((args) => `__out.push(${fn}(...${JSON.stringify(args)}))`)
  return `${solution}\nconst __out = []\n${lines.join('\n')}\nJSON.stringify(__out)\n`
}

/** A new isolate and context per attempt, compiling and calling the solution (as JsEngine would). */
export function freshIsolateFloor(solution: string, fn: string, calls: FloorCall[]): Floor {
  const program = jsProgram(solution, fn, calls)
  return async () => {
    const isolate = new ivm.Isolate({ memoryLimit: 128 })
    try {
      const context = await isolate.createContext()
      const script = await isolate.compileScript(program, { filename: 'solution.js' })
      const result: unknown = await script.run(context, { timeout: 5_000 })
      if (typeof result !== 'string') throw new Error('the isolate returned no results')
      context.release()
    } finally {
      isolate.dispose()
    }
  }
}

/** The naive runner: a new Node process per run (`node -e`), printing the results. */
export function nodeSpawnFloor(solution: string, fn: string, calls: FloorCall[]): Floor {
  const program = jsProgram(solution, fn, calls).replace(
    /JSON\.stringify\(__out\)\n$/,
    'console.log(JSON.stringify(__out))\n',
  )
  return async () => {
    await execFileAsync(process.execPath, ['-e', program])
  }
}

/** Runs one cold box to its end and fails unless its command exited 0. */
async function runBox(
  host: BoxHost,
  request: { command: string[]; env: Record<string, string>; binds: Bind[]; dir: string },
  files: string[],
): Promise<void> {
  const box = await Box.start(host, {
    command: request.command,
    env: request.env,
    binds: request.binds,
    workDir: request.dir,
    files: files.map((name) => ({
      boxPath: `/box/${name}`,
      hostPath: path.join(request.dir, name),
    })),
    limits: floorLimits,
    budget: { wallMs: 120_000, cpuMs: 120_000 },
    stdin: Buffer.alloc(0),
    mergeStderr: true,
  })
  const output: Buffer[] = []
  box.onStdout((chunk) => output.push(chunk))
  const exit = await box.done
  if (exit.exitCode !== 0) {
    const text = Buffer.concat(output).toString('utf8').slice(0, 2000)
    throw new Error(
      `floor box failed (${exit.setupError ?? exit.killedFor ?? `exit ${exit.exitCode}`}): ${text}`,
    )
  }
}

/** A folder under the host's scratch folder that boxes can read, holding `files`. */
async function boxInputs(host: BoxHost, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(host.scratchDir, 'floor-'))
  await chmod(dir, 0o755)
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content, { mode: 0o644 })
  }
  return dir
}

/** A cold sandboxed `python3 -c 'print("hello")'`: the walls Tandem's Python boxes get, no pool. */
export async function pythonHelloFloor(host: BoxHost): Promise<Floor> {
  const toolchain = await pythonSpec.locate()
  const dir = await boxInputs(host, {})
  return () =>
    runBox(
      host,
      {
        command: ['/usr/bin/python3', '-c', 'print("hello")'],
        env: { PATH: '/usr/bin' },
        binds: toolchain.binds,
        dir,
      },
      [],
    )
}

/** Java literal of a challenge value (`int[]` as `long[]`, `int` as a long, as Tandem's harness). */
function javaValue(value: unknown): string {
  if (Array.isArray(value)) return `new long[] {${value.map(javaValue).join(', ')}}`
  return `${String(value)}L`
}

/** A cold `javac` of the solution and a main calling it, then `java`, in one box. */
export async function javaColdFloor(
  host: BoxHost,
  options: { solution: string; fn: string; calls: FloorCall[] },
): Promise<Floor> {
  const toolchain = await javaSpec.locate()
  const home = toolchain.vars.home ?? ''
  const calls = options.calls.map(
    (args) =>
      `    System.out.println(java.util.Arrays.toString(Solution.${options.fn}(${args.map(javaValue).join(', ')})));`,
  )
  const main = `public class Main {\n  public static void main(String[] a) {\n${calls.join('\n')}\n  }\n}\n`
  const dir = await boxInputs(host, { 'Solution.java': options.solution, 'Main.java': main })
  return () =>
    runBox(
      host,
      {
        command: [
          '/bin/sh',
          '-c',
          'javac -d /tmp/out Solution.java Main.java && java -cp /tmp/out Main',
        ],
        env: { PATH: `${home}/bin:/usr/bin:/bin`, HOME: '/tmp', LANG: 'C.UTF-8' },
        binds: [...toolchain.binds, ...host.compileShellBinds],
        dir,
      },
      ['Solution.java', 'Main.java'],
    )
}

/** C++ literal of a challenge value (`int[]` as a vector of long long). */
function cppValue(value: unknown): string {
  if (Array.isArray(value)) return `std::vector<long long>{${value.map(cppValue).join(', ')}}`
  return `${String(value)}LL`
}

/** A cold `g++ -O2` of the solution and a main calling it, in a box (compile and link only). */
export async function gppColdFloor(
  host: BoxHost,
  options: { solution: string; fn: string; calls: FloorCall[] },
): Promise<Floor> {
  const toolchain = await cppSpec.locate()
  const calls = options.calls.map((args, i) => {
    const locals = args.map((arg, j) => `  auto a${i}_${j} = ${cppValue(arg)};`)
    const names = args.map((_, j) => `a${i}_${j}`).join(', ')
    return `${locals.join('\n')}\n  total += ${options.fn}(${names}).size();`
  })
  const main = `#include "solution.cpp"\nint main() {\n  size_t total = 0;\n${calls.join('\n')}\n  return total == 0;\n}\n`
  const dir = await boxInputs(host, { 'solution.cpp': options.solution, 'main.cpp': main })
  return () =>
    runBox(
      host,
      {
        command: ['/usr/bin/g++', '-O2', '-std=c++17', '-o', '/tmp/prog', 'main.cpp'],
        env: { PATH: '/usr/bin', HOME: '/tmp', LANG: 'C.UTF-8' },
        binds: [...toolchain.compileBinds, ...toolchain.binds, ...host.compileShellBinds],
        dir,
      },
      ['solution.cpp', 'main.cpp'],
    )
}
