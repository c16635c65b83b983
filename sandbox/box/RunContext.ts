/**
 * What a stage runner needs to run one job's tests in boxes, and helpers they share.
 */
import { constants } from 'node:os'
import type { RunJob, TestResult } from '../../protocol/run.ts'
import type { EngineEvent } from '../Engine.ts'
import type { Box } from './Box.ts'
import type { BoxHost } from './BoxHost.ts'
import type { PoolableRequest } from './BoxPool.ts'
import type { BoxLanguageSpec, BuildPlan, Toolchain } from './LanguageSpec.ts'

export interface RunContext {
  host: BoxHost
  spec: BoxLanguageSpec
  toolchain: Toolchain
  plan: BuildPlan
  job: RunJob
  /** Host folder holding the plan's files (the static folder when the plan has none). */
  workDir: string
  /** Host folder holding the plan's static files. */
  staticDir: string | undefined
  /** Host folder of compiled output, mounted read-only at /box/bin. */
  binDir: string | undefined
  /** Starts the run's box, or hands over a pre-started one of the same shape. */
  startBox: (request: PoolableRequest) => Promise<Box>
  emit: (event: EngineEvent) => void
  signal: AbortSignal
}

export interface TestsOutcome {
  /** One per test, in the job's order. */
  results: TestResult[]
  /** Set when the source does not compile (Python's syntax errors surface while running). */
  compileOutput?: string
  /** The run was cancelled; `results` holds what finished before. */
  cancelled: boolean
  /** Console output printed outside any test by the box of the visible tests (display form). */
  outsideOutput?: string
  /** The same from the box of the hidden tests: for interviewers only. */
  hiddenOutsideOutput?: string
}

/** The plan's files, its static files and the compiled output, as mounts inside /box. */
export function boxFiles(context: RunContext): { boxPath: string; hostPath: string }[] {
  // A file in a folder (`lib/util.py`) comes with its folder, copied whole, once.
  const tops = new Set(Object.keys(context.plan.files).map((name) => name.split('/')[0] ?? name))
  const files = [...tops].map((name) => ({
    boxPath: `/box/${name}`,
    hostPath: `${context.workDir}/${name}`,
  }))
  for (const name of Object.keys(context.plan.staticFiles ?? {})) {
    files.push({ boxPath: `/box/${name}`, hostPath: `${context.staticDir ?? ''}/${name}` })
  }
  if (context.binDir !== undefined) files.push({ boxPath: '/box/bin', hostPath: context.binDir })
  return files
}

/** Console output kept per test before display clipping, bytes. */
export const consoleKeepBytes = 64 << 10

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
)

const signalMeanings: Partial<Record<string, string>> = {
  SIGSEGV: 'segmentation fault: invalid memory access, or a stack overflow',
  SIGBUS: 'bus error: invalid memory access',
  SIGFPE: 'arithmetic error, e.g. integer division by zero',
  SIGABRT: 'aborted, e.g. a failed assertion',
  SIGILL: 'illegal instruction',
  SIGKILL: 'killed',
  SIGXFSZ: 'a file grew beyond the size limit',
  SIGXCPU: 'CPU time limit exceeded',
}

/** "crashed: SIGSEGV (segmentation fault: …)" for a signal name. */
export function describeSignal(name: string): string {
  const meaning = signalMeanings[name]
  return meaning === undefined ? `crashed: ${name}` : `crashed: ${name} (${meaning})`
}

/** Words for a process's end: bwrap reports death by signal n as exit code 128 + n. */
export function describeExit(exitCode: number | null): string {
  if (exitCode === null) return 'the program was stopped'
  if (exitCode > 128) {
    const name = signalNames.get(exitCode - 128)
    if (name !== undefined) return `The program ${describeSignal(name)}`
  }
  return `The program exited with code ${exitCode}`
}

/**
 * Bounds on a crash trace, applied before any pattern touches it. addr2line prints a line or
 * two for each of the harness's 48 frames; everything after a crash frame is candidate output,
 * though, and a forged trace can be anything.
 */
export const traceLimits = {
  /** Trace lines read; the rest are dropped unread. */
  lines: 200,
  /** Characters kept of each line (addr2line's longest real lines are ~300). */
  lineChars: 500,
  /** Lines shown, after folding. */
  shownLines: 50,
} as const

/**
 * A crash trace (addr2line's lines after a C++ harness's crash frame) reduced to the candidate's
 * own frames: `twoSum(...) at solution.cpp:7`, a run of one repeated frame folded into one line.
 * Linear in the trace's length, and bounded by traceLimits whatever it holds.
 */
export function candidateFrames(trace: string, sourceFile: string): string {
  const lines = trace
    .split('\n', traceLimits.lines)
    .map((line) => line.slice(0, traceLimits.lineChars))
    .map((line) => line.replace(/^\s*\(inlined by\)\s*/, '').replaceAll('/box/', ''))
    .filter((line) => line.includes(`${sourceFile}:`))
    .map(readableCppNames)
  const folded: string[] = []
  let repeats = 0
  for (const [index, line] of lines.entries()) {
    if (line === lines[index - 1]) {
      repeats++
      continue
    }
    if (repeats > 0) folded.push(`  … the line above ${repeats} more times`)
    repeats = 0
    folded.push(line)
  }
  if (repeats > 0) folded.push(`  … the line above ${repeats} more times`)
  if (folded.length > traceLimits.shownLines) {
    const more = folded.length - traceLimits.shownLines
    return [...folded.slice(0, traceLimits.shownLines), `  … ${more} more lines`].join('\n')
  }
  return folded.join('\n')
}

/** `std::vector<long long, std::allocator<long long> >` → `std::vector<long long>`, and so on. */
export function readableCppNames(line: string): string {
  return stripAllocators(
    line
      .replaceAll(
        'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >',
        'std::string',
      )
      .replaceAll('[abi:cxx11]', ''),
  )
}

const allocatorArgument = ', std::allocator<'

/**
 * Drops every `, std::allocator<…> ` that closes its template (`vector<T, std::allocator<T> >`
 * → `vector<T>`), in one pass. This used to be a regex replaced until nothing changed, one
 * nesting level per pass: quadratic in the line, and a forged crash frame of 40 000 nested
 * allocators froze the sandbox's main thread, every run on it, for ~97 s (issue 13). Here each
 * `<` is matched to its `>` once, with a stack, and the copy then jumps over what it drops.
 */
export function stripAllocators(text: string): string {
  if (!text.includes(allocatorArgument)) return text
  // closing[i]: the index of the `>` that closes the `<` at i (-1 when none does).
  const closing = new Int32Array(text.length).fill(-1)
  const open: number[] = []
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '<') open.push(i)
    else if (char === '>') {
      const at = open.pop()
      if (at !== undefined) closing[at] = i
    }
  }
  let out = ''
  let copiedTo = 0
  for (let i = 0; i < text.length;) {
    if (text.startsWith(allocatorArgument, i)) {
      const close = closing[i + allocatorArgument.length - 1] ?? -1
      // `…> >`: the allocator is the template's last argument; keep the template's own `>`.
      if (close !== -1 && text.startsWith(' >', close + 1)) {
        out += text.slice(copiedTo, i)
        i = close + 2
        copiedTo = i
        continue
      }
    }
    i++
  }
  return out + text.slice(copiedTo)
}
