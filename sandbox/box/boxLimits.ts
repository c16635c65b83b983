/**
 * From a run's LanguageLimits (per test) to the limits of the box that runs them.
 */
import type { LanguageLimits } from '../../protocol/languages.ts'
import type { BoxLimits, Budget } from './Box.ts'
import type { BoxLanguageSpec } from './LanguageSpec.ts'

const MiB = 1 << 20

/**
 * Limits are charged in CPU time of the box's cgroup; the wall clock is only a ceiling this many
 * times above the CPU limit, so a loaded machine (two cores, five rooms, a build) slows a run
 * down instead of failing it. A box that reaches the ceiling starved of CPU is the server's
 * fault (Box.ts `isStarved`). It used to be the wall limit itself: a correct C++ solution got
 * `compile_error` at 20 s of wall clock while the compiler waited for a core.
 */
export const wallCeilingFactor = 4

/** A budget of `cpuMs` of CPU time, with its wall ceiling (never below `wallMs`). */
export function cpuBudget(cpuMs: number, wallMs = 0): Budget {
  return { cpuMs, wallMs: Math.max(wallMs, cpuMs * wallCeilingFactor) }
}

/**
 * The compile stage's budget for a compile time limit of `timeMs`: CPU twice that (javac and go
 * use more than one thread), under the same wall ceiling as any budget (so 160 s of wall clock
 * for a 20 s limit: a compiler does not sleep, and a starved one must not reach its ceiling with
 * half its CPU used, which would make it the candidate's compile error).
 */
export function compileBudget(timeMs: number): Budget {
  return cpuBudget(timeMs * 2)
}

/**
 * Before a function-style harness's first test: the runtime starts and the candidate's
 * module-level code runs. Generous, since a loaded machine starts a JVM slowly.
 */
export const startupBudget: Budget = cpuBudget(10_000)

/** After the harness reported its last test, it has this long to exit. */
export const exitBudget: Budget = cpuBudget(2_000)

/** Room for the harness's result frames on top of the candidate's own output, bytes. */
export const resultBytes = 32 * MiB

/** Bytes of compiler diagnostics read before the compiler is stopped. */
export const compileOutputBytes = 1 * MiB

/**
 * One test's budget: its CPU limit (plus `extraMs`, e.g. a runtime's start), and a wall ceiling of
 * four times that or the language's wall limit, whichever is longer. Code that sleeps or blocks
 * is stopped at the ceiling with `timeout`.
 */
export function testBudget(limits: LanguageLimits, extraMs = 0): Budget {
  return cpuBudget(limits.cpuTimeMs + extraMs, limits.wallTimeMs + extraMs)
}

/** A run has at most this many tests (the challenge loader's limit). */
export const maxTestsPerRun = 200

/**
 * Limits of a box that runs up to `tests` tests. Function style passes `maxTestsPerRun`, so the
 * limits do not depend on the job and a pre-started box fits any run of the language.
 */
export function runBoxLimits(
  spec: BoxLanguageSpec,
  limits: LanguageLimits,
  tests: number,
  outputBytes: number,
): BoxLimits {
  const memoryBytes = (limits.memoryMb + spec.memoryOverheadMb) * MiB
  const cpuMs = startupBudget.cpuMs + tests * (limits.cpuTimeMs + spec.startupMs)
  return {
    memoryBytes,
    pids: spec.pids,
    cpuSecondsPerProcess: Math.ceil(cpuMs / 1000) + 1,
    fileSizeBytes: 16 * MiB,
    openFiles: 256,
    // Half the memory: a runaway recursion then overflows the stack before the box runs out.
    stackBytes: Math.min(256 * MiB, Math.floor((limits.memoryMb * MiB) / 2)),
    tmpfsBytes: Math.max(MiB, Math.min(64 * MiB, Math.floor(memoryBytes / 4))),
    outputBytes,
    artifactBytes: 0,
  }
}

/** Limits of a compile box. */
export function compileBoxLimits(
  spec: BoxLanguageSpec,
  limits: LanguageLimits,
  artifactBytes = 256 * MiB,
): BoxLimits {
  const compile = spec.compileLimits ?? { memoryMb: 1024, pids: 64 }
  const timeMs = limits.compileTimeMs ?? 20_000
  return {
    memoryBytes: compile.memoryMb * MiB,
    pids: compile.pids,
    cpuSecondsPerProcess: Math.ceil((timeMs * 2) / 1000),
    fileSizeBytes: artifactBytes,
    openFiles: 512,
    stackBytes: 64 * MiB,
    tmpfsBytes: artifactBytes,
    outputBytes: compileOutputBytes,
    artifactBytes,
  }
}
