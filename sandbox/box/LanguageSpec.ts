/**
 * A process language as data: where its toolchain is, how a job becomes files plus an optional
 * compile step plus a run command, its limits, and a hello-world self-test. The bubblewrap engine
 * runs any spec; adding a language is a spec (sandbox/languages/<id>/spec.ts) and a harness.
 *
 * Paths in commands are paths *inside* the box: the work folder is `/box`, compiled output is
 * read from `/box/out` and mounted read-only at `/box/bin` for the run.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { LanguageId, LanguageLimits } from '../../protocol/languages.ts'

/** A host path bound read-only into a box, at `target` (default: the same path). */
export interface Bind {
  source: string
  target: string
}

/** What `locate` found on this host. */
export interface Toolchain {
  /** Bound into every box of the language (runtime, libraries). */
  binds: Bind[]
  /** Bound into compile boxes only (compilers, headers). */
  compileBinds: Bind[]
  /** Paths and facts the commands use, e.g. `{ goroot: '/usr/lib/go-1.19' }`. */
  vars: Record<string, string>
}

/** The toolchain is not installed; the message names what is missing. */
export class ToolchainMissingError extends Error {
  override name = 'ToolchainMissingError'
}

/** Everything `build` may look at. */
export interface BuildInput {
  problem: Problem
  /** The candidate's code. */
  source: string
  /**
   * The candidate's other files, by path relative to the solution's folder (`lib/util.py`):
   * written beside the solution, and compiled with it where the language compiles them.
   */
  extraFiles: Record<string, string>
  toolchain: Toolchain
  /** The run's limits (the JVM's -Xmx comes from here). */
  limits: LanguageLimits
  /** Where the language's prebuilt output is mounted (read-only) in compile boxes, once built. */
  prebuilt: string | undefined
}

export interface StageCommand {
  /** argv, run with /box as the working folder. */
  command: string[]
  /** The whole environment (the box starts from an empty one). */
  env: Record<string, string>
}

export interface BuildPlan {
  /** Files written to the work folder before anything runs: the candidate's source, harness. */
  files: Record<string, string>
  /**
   * Files that do not depend on the job (a harness): written once per engine into a shared
   * read-only folder. A run whose box needs nothing else can be started before the job arrives.
   */
  staticFiles?: Record<string, string>
  /** The candidate's file name as the compiler and stack traces show it, e.g. `solution.py`. */
  sourceFile: string
  /** Compiles into /box/out; absent for interpreted languages. */
  compile?: StageCommand
  run: StageCommand
  /** Added to the function-style harness's config line (Python gets its source here). */
  config?: Record<string, unknown>
}

export interface BoxLanguageSpec {
  id: LanguageId
  /** Default limits of one test in this language. */
  limits: LanguageLimits
  /** How much slower than C++ this language may be on a challenge's time limit. */
  timeMultiplier: number
  /** Processes plus threads a run may have at once (the JVM alone needs about 20). */
  pids: number
  /**
   * Memory the runtime needs beyond the candidate's limit, MiB: the JVM's own metaspace, code
   * cache and thread stacks on top of its `-Xmx` heap. 0 for the others.
   */
  memoryOverheadMb: number
  /**
   * Time the runtime needs to start (interpreter, JVM), ms: added to each stdio test's budget,
   * since a stdio test is a whole program run.
   */
  startupMs: number
  /** Limits of the compile stage, for compiled languages. */
  compileLimits?: { memoryMb: number; pids: number }
  /** Finds the toolchain on this host; throws ToolchainMissingError naming what is missing. */
  locate(): Promise<Toolchain>
  /** Prints the version inside a run box; `parse` turns the output into e.g. "Python 3.11.2". */
  version: { command: (toolchain: Toolchain) => StageCommand; parse: (output: string) => string }
  build(input: BuildInput): BuildPlan
  /**
   * Built once per host in a compile box before candidates need it (C++'s precompiled header
   * and harness runtime), then mounted read-only at `BuildInput.prebuilt` in compile boxes.
   */
  prebuild?: {
    /** Files in the prebuild box's /box, name → content. */
    inputs: Record<string, string>
    command: (toolchain: Toolchain) => StageCommand
    /** Folder of the mount that receives the output. */
    subdir: string
    /** Files the host adds beside the output (the C++ header stub), name → content. */
    extraFiles: Record<string, string>
    timeMs: number
    /**
     * Too large to copy into every compile box (C++'s precompiled header, ~100 MB): bound
     * read-only instead, and those compile boxes then get no /proc (see BoxRequest.mounts).
     * Default false: copied.
     */
    bind?: boolean
  }
  /**
   * A warm compiler kept running in its own long-lived compile box, started once the prebuild
   * is ready (Java: javac in one JVM). `prebuilt` is where the prebuild is mounted. A compile
   * it cannot take goes to a cold compile box with `BuildPlan.compile`.
   */
  compileServer?: {
    command: (toolchain: Toolchain, prebuilt: string) => StageCommand
    /** Sources compiled right after start, to warm the compiler up. */
    warmUp: Record<string, string>
    /** Which of a plan's files the server compiles (the others are data beside them). */
    compiles: (name: string) => boolean
  }
  /** Stdio-style hello world, run by the self-test in CI. */
  selfTest: { source: string; stdout: string }
}
