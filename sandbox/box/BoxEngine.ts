/**
 * The bubblewrap engine: Python, Java, C++ and Go, each test run in boxes (see Box.ts).
 *
 *   probe   finds bubblewrap, cgroups and each toolchain; a language whose toolchain or sandbox
 *           is missing is unavailable with the reason, never run without its walls
 *   run     writes the job's files to a private host folder, compiles in a compile box (cached
 *           by content hash), then runs the tests in run boxes and streams each result
 *   close   cancels runs in flight, waits for their boxes, removes its temporary folders
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Problem } from '../../protocol/challenge.ts'
import {
  languageFacts,
  sourceTooLargeMessage,
  type LanguageId,
  type LanguageInfo,
  type LanguageLimits,
} from '../../protocol/languages.ts'
import {
  cancelledSummary,
  filesBesideEntry,
  internalErrorSummary,
  jobPathProblem,
  jobSourceBytes,
  type RunJob,
  type RunSummary,
} from '../../protocol/run.ts'
import { z } from 'zod'
import { boxSpecs } from '../languages/index.ts'
import type { Engine, EngineContext, EngineRun, SandboxLog } from '../Engine.ts'
import { summarize } from '../summarize.ts'
import { Box, ServerBusyError } from './Box.ts'
import { compileBoxLimits } from './boxLimits.ts'
import { openBoxHost, type BoxHost, type BoxHostOptions } from './BoxHost.ts'
import { BoxPool, type BoxPoolOptions } from './BoxPool.ts'
import { compileInBox } from './compileInBox.ts'
import { CompileCache } from './CompileCache.ts'
import { CompileServer } from './CompileServer.ts'
import {
  ToolchainMissingError,
  type BoxLanguageSpec,
  type BuildInput,
  type BuildPlan,
  type StageCommand,
  type Toolchain,
} from './LanguageSpec.ts'
import type { RunContext, TestsOutcome } from './RunContext.ts'
import { runInBoxes } from '../kinds/index.ts'

export interface BoxEngineOptions extends BoxHostOptions {
  /** Where warnings go (running unsandboxed, a language unavailable); default nowhere. */
  log?: SandboxLog | undefined
  /** Boxes started ahead of demand (see BoxPool.ts); `{ perShape: 0 }` turns them off. */
  pool?: BoxPoolOptions | undefined
  /**
   * Folder of compiled output kept across restarts (created if missing; must belong to this
   * user and be writable by nobody else). Default: `tandem-box-cache-<uid>` in the OS temp
   * folder, or a private temporary folder when that one is not safe to use.
   */
  cacheDir?: string | undefined
  /**
   * Build a language's prebuild (C++'s precompiled header and harness runtime, Java's compile
   * server) and start its warm compiler, in the background, when its first job arrives (`warm`
   * does it at once). Jobs never wait for it. Default true.
   */
  prebuild?: boolean | undefined
  /**
   * Begin every language's prebuild and warm compiler in the background as soon as the engine
   * has probed its languages, instead of on each language's first job: on a fresh install, the
   * first C++ run then finds the precompiled header built (it took ~13 s of compiling without it).
   * Jobs still never wait for it. Default false; LocalRunner asks its first sandbox process for it.
   */
  warmAtStart?: boolean | undefined
  /** The languages to offer; default Python, Java, C++ and Go. */
  specs?: readonly BoxLanguageSpec[] | undefined
}

/** The sandbox process's environment variables this engine reads, parsed once here. */
const EnvSchema = z.object({
  /** Run without bubblewrap when it is missing (never where candidates are strangers). */
  TANDEM_UNSAFE_ALLOW_UNSANDBOXED: z
    .enum(['0', '1', 'true', 'false', ''])
    .default('')
    .transform((value) => value === '1' || value === 'true'),
  /** A compile cache that outlives the sandbox process (C++'s precompiled header takes ~15 s). */
  TANDEM_BOX_CACHE_DIR: z.string().min(1).optional(),
  /** Begin the prebuilds at start (see BoxEngineOptions.warmAtStart). */
  TANDEM_SANDBOX_WARM: z
    .enum(['0', '1', ''])
    .default('')
    .transform((value) => value === '1'),
})

interface LanguageState {
  spec: BoxLanguageSpec
  info: LanguageInfo
  toolchain: Toolchain | undefined
}

interface Ready {
  host: BoxHost
  cache: CompileCache
  pool: BoxPool
  languages: Map<LanguageId, LanguageState>
  /** Content hash → host folder of static files, written once. */
  staticDirs: Map<string, Promise<string>>
}

export const defaultBoxSpecs: readonly BoxLanguageSpec[] = boxSpecs

export class BoxEngine implements Engine {
  readonly languages: readonly LanguageId[]
  private readonly options: BoxEngineOptions
  private readonly specs: readonly BoxLanguageSpec[]
  private ready: Promise<Ready> | undefined
  private readonly runs = new Set<Promise<unknown>>()
  /** Cgroup removals of boxes whose runs already reported (see trackCleanup). */
  private readonly cleanups = new Set<Promise<void>>()
  private readonly closing = new AbortController()
  /** Host folder of each language's prebuild, once built. */
  private readonly prebuilt = new Map<LanguageId, string>()
  /** Each language's prebuild and warm compiler start, begun on first use. */
  private readonly prebuilding = new Map<LanguageId, Promise<void>>()
  /** Warm compilers per language, once their prebuild is ready. */
  private readonly compileServers = new Map<LanguageId, CompileServer>()
  private compilerRunCount = 0

  constructor(options: BoxEngineOptions = {}) {
    this.options = options
    this.specs = options.specs ?? defaultBoxSpecs
    this.languages = this.specs.map((spec) => spec.id)
    // Warming must not wait for somebody to ask this process for its languages: with several
    // sandbox processes, the server's probe may go to another one. A failure to start shows
    // when the languages are probed, so it is not reported twice.
    if (options.warmAtStart === true) void this.init().catch(() => undefined)
  }

  /** The engine as the sandbox process creates it (see sandbox/engines.ts). */
  static fromContext(context: EngineContext): BoxEngine {
    const parsed = EnvSchema.safeParse(context.env)
    if (!parsed.success) {
      // A bad setting must not turn into an unsandboxed run: fall back to the safe defaults.
      context.log('error', 'invalid bubblewrap engine settings; using the defaults', {
        issue: parsed.error.issues[0]?.message,
      })
    }
    const env = parsed.success ? parsed.data : undefined
    return new BoxEngine({
      log: context.log,
      unsafeAllowUnsandboxed: env?.TANDEM_UNSAFE_ALLOW_UNSANDBOXED ?? false,
      cacheDir: env?.TANDEM_BOX_CACHE_DIR,
      warmAtStart: env?.TANDEM_SANDBOX_WARM ?? false,
    })
  }

  async probe(): Promise<LanguageInfo[]> {
    const ready = await this.init()
    return [...ready.languages.values()].map((state) => state.info)
  }

  /** Languages whose prebuild has begun (diagnostics, tests). */
  get prebuildsBegun(): LanguageId[] {
    return [...this.prebuilding.keys()]
  }

  /** How many times a compiler actually ran for a job (cache hits do not count); for tests, benches. */
  get compilerRuns(): number {
    return this.compilerRunCount
  }

  /** Builds every prebuild and starts every warm compiler now, and waits; for tests, benches. */
  async warm(): Promise<void> {
    const ready = await this.init()
    if (this.options.prebuild === false) return
    await Promise.all([...ready.languages.values()].map((state) => this.prebuild(ready, state)))
  }

  async run(run: EngineRun): Promise<RunSummary> {
    const signal = AbortSignal.any([run.signal, this.closing.signal])
    const task = this.runJob({ ...run, signal })
    this.runs.add(task)
    try {
      return await task
    } finally {
      this.runs.delete(task)
    }
  }

  async close(): Promise<void> {
    this.closing.abort()
    await Promise.allSettled([...this.runs, ...this.prebuilding.values()])
    await Promise.allSettled([...this.cleanups])
    await Promise.all([...this.compileServers.values()].map((server) => server.close()))
    if (this.ready !== undefined) {
      const ready = await this.ready.catch(() => undefined)
      await ready?.pool.close()
      await ready?.host.close()
    }
  }

  /**
   * Runs report once their box has exited (`Box.exited`); its cgroup is removed after that. Close
   * waits for those removals, so nothing is left behind.
   */
  private trackCleanup(box: Box): Box {
    const removed = box.done.then(
      () => undefined,
      () => undefined,
    )
    this.cleanups.add(removed)
    void removed.then(() => this.cleanups.delete(removed))
    return box
  }

  private init(): Promise<Ready> {
    this.ready ??= (async () => {
      const host = await openBoxHost(this.options)
      const cache = await openCache(host, this.options.cacheDir)
      const languages = new Map<LanguageId, LanguageState>()
      for (const warning of host.warnings) this.options.log?.('warn', warning)
      for (const spec of this.specs) {
        const state = await this.probeLanguage(host, spec)
        languages.set(spec.id, state)
        if (!state.info.available) {
          this.options.log?.('warn', `${state.info.name} is unavailable`, {
            reason: state.info.reason,
          })
        }
      }
      // Unsandboxed, a shared work folder would be writable by every run: no pre-started boxes.
      const poolOptions = host.sandboxed ? this.options.pool : { perShape: 0 }
      const pool = new BoxPool(host, poolOptions)
      const ready: Ready = { host, cache, pool, languages, staticDirs: new Map() }
      if (this.options.warmAtStart === true && this.options.prebuild !== false) {
        // Not awaited: probing answers now, the prebuilds finish when they finish.
        for (const state of languages.values()) void this.prebuild(ready, state)
      }
      return ready
    })()
    return this.ready
  }

  private async probeLanguage(host: BoxHost, spec: BoxLanguageSpec): Promise<LanguageState> {
    const info = (fields: Partial<LanguageInfo>): LanguageInfo => ({
      id: spec.id,
      name: languageFacts[spec.id].name,
      version: '',
      available: false,
      limits: spec.limits,
      timeMultiplier: spec.timeMultiplier,
      ...fields,
    })
    if (host.problem !== undefined) {
      return { spec, toolchain: undefined, info: info({ reason: host.problem }) }
    }
    let toolchain: Toolchain
    try {
      toolchain = await spec.locate()
    } catch (error) {
      const reason =
        error instanceof ToolchainMissingError
          ? error.message
          : `toolchain check failed: ${String(error)}`
      return { spec, toolchain: undefined, info: info({ reason }) }
    }
    // The version is asked inside a run box: that proves the binds are right, too.
    const { command, env } = spec.version.command(toolchain)
    const output: Buffer[] = []
    const box = await Box.start(host, {
      command,
      env,
      binds: [...toolchain.binds, ...toolchain.compileBinds],
      workDir: host.scratchDir,
      files: [],
      limits: {
        memoryBytes: (256 + spec.memoryOverheadMb) << 20,
        pids: spec.pids,
        cpuSecondsPerProcess: 30,
        fileSizeBytes: 1 << 20,
        openFiles: 256,
        stackBytes: 8 << 20,
        tmpfsBytes: 16 << 20,
        outputBytes: 64 << 10,
        artifactBytes: 0,
      },
      budget: { wallMs: 30_000, cpuMs: 30_000 },
      stdin: Buffer.alloc(0),
      mergeStderr: true,
    })
    box.onStdout((chunk) => output.push(chunk))
    const exit = await box.done
    const text = Buffer.concat(output).toString('utf8')
    if (exit.setupError !== undefined || exit.exitCode !== 0) {
      const why = exit.setupError ?? `exit ${exit.exitCode}: ${text.trim().slice(0, 300)}`
      return {
        spec,
        toolchain: undefined,
        info: info({ reason: `the toolchain does not run in a box: ${why}` }),
      }
    }
    const version = spec.version.parse(text) + (host.sandboxed ? '' : ' (UNSANDBOXED)')
    return { spec, toolchain, info: info({ version, available: true }) }
  }

  /** The language's prebuild and warm compiler, begun once (later calls get the same promise). */
  private prebuild(ready: Ready, state: LanguageState): Promise<void> {
    let pending = this.prebuilding.get(state.spec.id)
    if (pending === undefined) {
      pending = this.buildPrebuild(ready, state).then(() => this.startCompileServer(ready, state))
      this.prebuilding.set(state.spec.id, pending)
    }
    return pending
  }

  /** Builds the language's prebuild in a compile box, unless the cache has it. */
  private async buildPrebuild(ready: Ready, state: LanguageState): Promise<void> {
    const { spec, toolchain } = state
    if (spec.prebuild === undefined || toolchain === undefined || !state.info.available) return
    const stage = spec.prebuild.command(toolchain)
    const key = CompileCache.key({
      prebuild: spec.id,
      version: state.info.version,
      stage,
      inputs: spec.prebuild.inputs,
      extraFiles: spec.prebuild.extraFiles,
    })
    ready.cache.pin(key)
    const found = await ready.cache.lookup(key)
    if (found !== undefined) {
      this.prebuilt.set(spec.id, found)
      return
    }
    const workDir = await mkdtemp(path.join(ready.host.scratchDir, 'prebuild-'))
    try {
      await chmod(workDir, 0o755)
      const inputs = await writeFiles(workDir, spec.prebuild.inputs)
      const result = await compileInBox({
        host: ready.host,
        stage,
        binds: [...toolchain.binds, ...toolchain.compileBinds],
        workDir,
        files: inputs,
        limits: compileBoxLimits(
          spec,
          { ...spec.limits, compileTimeMs: spec.prebuild.timeMs },
          512 << 20,
        ),
        timeMs: spec.prebuild.timeMs,
        signal: this.closing.signal,
      })
      if ('files' in result.outcome) {
        const extra = Object.entries(spec.prebuild.extraFiles).map(([name, content]) => ({
          name,
          mode: 0o644,
          data: Buffer.from(content),
        }))
        const files = [...result.outcome.files, ...extra]
        this.prebuilt.set(spec.id, await ready.cache.store(key, files, '', spec.prebuild.subdir))
      } else {
        this.options.log?.('warn', `${state.info.name} prebuild failed`, {
          output: result.outcome.error,
        })
      }
    } catch (error) {
      // Without the prebuild, compiles are slower, not wrong.
      this.options.log?.('warn', `${state.info.name} prebuild failed`, { error: String(error) })
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }

  /** Starts the language's warm compiler, when it has one and its prebuild is ready. */
  private async startCompileServer(ready: Ready, state: LanguageState): Promise<void> {
    const { spec, toolchain } = state
    const prebuilt = this.prebuilt.get(spec.id)
    if (spec.compileServer === undefined || toolchain === undefined || prebuilt === undefined)
      return
    if (this.closing.signal.aborted || this.compileServers.has(spec.id)) return
    // Unsandboxed, the server's /box would be the shared prebuilt folder itself.
    if (!ready.host.sandboxed) return
    const server = new CompileServer({
      host: ready.host,
      stage: spec.compileServer.command(toolchain, '/box/pch'),
      binds: [...toolchain.binds, ...toolchain.compileBinds],
      files: [{ boxPath: '/box/pch', hostPath: prebuilt }],
      workDir: prebuilt,
      limits: compileBoxLimits(spec, spec.limits),
      warmUp: spec.compileServer.warmUp,
    })
    this.compileServers.set(spec.id, server)
    await server.start()
  }

  private async runJob(run: EngineRun): Promise<RunSummary> {
    const startedAt = performance.now()
    const { job, emit, signal } = run
    const ready = await this.init()
    const state = ready.languages.get(job.language)
    const elapsed = (): number => Math.round(performance.now() - startedAt)
    if (state?.toolchain === undefined || !state.info.available) {
      const reason = state?.info.reason ?? 'this engine does not run it'
      return internalError(
        job,
        `${languageFacts[job.language].name} is not available: ${reason}`,
        elapsed(),
      )
    }
    const { spec, toolchain } = state
    emit({ type: 'stage', stage: 'preparing' })
    const source = job.files.find((file) => file.path === job.entry)?.content ?? ''
    const sourceBytes = jobSourceBytes(job)
    if (sourceBytes > job.limits.sourceBytes) {
      return compileError(
        job,
        sourceTooLargeMessage(sourceBytes, job.limits.sourceBytes),
        elapsed(),
      )
    }
    if (this.options.prebuild !== false) {
      // The first job of a language starts its prebuild; a cached one is ready within moments.
      const pending = this.prebuild(ready, state)
      await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 50))])
    }
    let prebuilt = this.prebuilt.get(spec.id)
    if (
      prebuilt !== undefined &&
      (await ready.cache.lookup(path.basename(prebuilt))) === undefined
    ) {
      // Another process sharing the cache evicted it: build it again, compile without it now.
      this.prebuilt.delete(spec.id)
      this.prebuilding.delete(spec.id)
      prebuilt = undefined
    }
    const input: BuildInput = {
      problem: job.problem,
      source,
      extraFiles: {},
      toolchain,
      limits: job.limits,
      prebuilt: prebuilt === undefined ? undefined : '/box/pch',
    }
    const extraFiles = Object.fromEntries(filesBesideEntry(job).map((f) => [f.path, f.content]))
    const clash = reservedNameClash(spec.build(input), extraFiles)
    if (clash !== undefined) return compileError(job, clash, elapsed())
    const plan = spec.build({ ...input, extraFiles })
    const staticDir =
      plan.staticFiles === undefined ? undefined : await staticFolder(ready, plan.staticFiles)
    // The job's files live in a private host folder, written before any box exists.
    const workDir = await mkdtemp(path.join(ready.host.scratchDir, 'run-'))
    try {
      await chmod(workDir, 0o755)
      const files = await writeFiles(workDir, plan.files)
      let binDir: string | undefined
      let compileOutput = ''
      if (plan.compile !== undefined) {
        emit({ type: 'stage', stage: 'compiling' })
        const stage = plan.compile
        // The prebuild is copied into the box like the sources, unless it is too large for that.
        const prebuiltMount =
          prebuilt !== undefined && usesPrebuilt(stage)
            ? [{ boxPath: '/box/pch', hostPath: prebuilt }]
            : []
        if (spec.prebuild?.bind !== true) files.push(...prebuiltMount)
        // The prebuilt folder's name is its own content hash: a compile that links the prebuilt
        // runtime object gets a new key when that object changes.
        const key = CompileCache.key({
          language: spec.id,
          version: state.info.version,
          stage,
          files: plan.files,
          prebuilt: usesPrebuilt(stage) && prebuilt !== undefined ? path.basename(prebuilt) : null,
        })
        const timeMs = job.limits.compileTimeMs ?? spec.limits.compileTimeMs ?? 20_000
        const server = this.compileServers.get(spec.id)
        const compiling = ready.cache.getOrCompile(key, async () => {
          this.compilerRunCount++
          const sources = Object.fromEntries(
            Object.entries(plan.files).filter(([name]) => spec.compileServer?.compiles(name)),
          )
          const warm = await server?.tryCompile(sources, timeMs, signal)
          if (warm !== undefined) return warm
          return compileInBox({
            host: ready.host,
            stage,
            binds: [...toolchain.binds, ...toolchain.compileBinds],
            workDir,
            files,
            mounts: spec.prebuild?.bind === true ? prebuiltMount : [],
            limits: compileBoxLimits(spec, job.limits),
            timeMs,
            signal,
          })
        })
        let compiled: Awaited<typeof compiling>
        try {
          compiled = await compiling
        } catch (error) {
          // Starved of CPU twice: the server's fault, said as such, never a compile error.
          if (error instanceof ServerBusyError) return internalError(job, error.message, elapsed())
          throw error
        }
        if (signal.aborted) return cancelledSummary(job.tests.length, 0, elapsed())
        if (!compiled.ok) return compileError(job, compiled.output, elapsed())
        binDir = compiled.dir
        compileOutput = compiled.output
      }
      emit({ type: 'stage', stage: 'running' })
      // A run that needs nothing of its own in /box can take a pre-started box.
      const poolable =
        Object.keys(plan.files).length === 0 && binDir === undefined && staticDir !== undefined
      const context: RunContext = {
        host: ready.host,
        spec,
        toolchain,
        plan,
        job,
        workDir: poolable ? staticDir : workDir,
        staticDir,
        binDir,
        emit,
        signal,
        startBox: async (request) =>
          this.trackCleanup(
            await (poolable ? ready.pool.take(request) : Box.start(ready.host, request)),
          ),
      }
      const outcome: TestsOutcome = await runInBoxes(context, job.problem)
      if (outcome.cancelled) {
        const passed = outcome.results.filter((r) => r.verdict === 'passed').length
        return cancelledSummary(job.tests.length, passed, elapsed())
      }
      if (outcome.compileOutput !== undefined)
        return compileError(job, outcome.compileOutput, elapsed())
      return summarize({
        job,
        // The visible tests report first; the summary names the first culprit in the job's order.
        results: outcome.results.toSorted((a, b) => a.index - b.index),
        durationMs: elapsed(),
        warnings: compileOutput,
        outside: { visible: outcome.outsideOutput, hidden: outcome.hiddenOutsideOutput },
      })
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }

  /**
   * Runs a language's hello-world self-test as a stdio job; `passed` proves toolchain, binds,
   * compile cache and run boxes work together on this host.
   */
  async selfTest(language: LanguageId): Promise<RunSummary> {
    const spec = this.specs.find((s) => s.id === language)
    if (spec === undefined) throw new Error(`${language} is not a language of this engine`)
    const problem: Problem = { style: 'stdio', compare: { mode: 'exact', floatTolerance: 0 } }
    const limits: LanguageLimits = spec.limits
    return this.run({
      job: {
        runId: `self-test-${language}`,
        language,
        mode: 'tests',
        files: [{ path: 'main', content: spec.selfTest.source }],
        entry: 'main',
        problem,
        tests: [
          {
            id: 'hello',
            name: 'hello world',
            hidden: false,
            input: { stdin: '' },
            expected: spec.selfTest.stdout,
          },
        ],
        limits,
      },
      emit: () => undefined,
      signal: new AbortController().signal,
    })
  }
}

/** The compile cache: the given folder, else a per-user one in the OS temp folder if safe. */
async function openCache(host: BoxHost, dir: string | undefined): Promise<CompileCache> {
  if (dir !== undefined) return CompileCache.open({ dir })
  const shared = path.join(os.tmpdir(), `tandem-box-cache-${process.getuid?.() ?? 0}`)
  try {
    return await CompileCache.open({ dir: shared })
  } catch {
    // Someone else made that folder: it cannot be trusted, so this process keeps its own.
    return CompileCache.open({ dir: path.join(host.scratchDir, 'cache') })
  }
}

/** Whether a compile command reads the language's prebuilt folder. */
function usesPrebuilt(stage: StageCommand): boolean {
  return stage.command.some((arg) => arg.includes('/box/pch'))
}

/** The shared read-only folder of a set of static files, written on first use. */
function staticFolder(ready: Ready, files: Record<string, string>): Promise<string> {
  const key = CompileCache.key(files)
  let folder = ready.staticDirs.get(key)
  if (folder === undefined) {
    folder = (async () => {
      const dir = path.join(ready.host.scratchDir, `static-${key.slice(0, 16)}`)
      await mkdir(dir, { mode: 0o755 })
      await chmod(dir, 0o755)
      await writeFiles(dir, files)
      return dir
    })()
    ready.staticDirs.set(key, folder)
  }
  return folder
}

/**
 * Writes the plan's files into `dir` (names may hold folders: `lib/util.py`) and returns what the
 * box copies: each top-level file or folder once, a folder with everything in it.
 */
async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<{ boxPath: string; hostPath: string }[]> {
  const tops = new Set<string>()
  for (const [name, content] of Object.entries(files)) {
    // The names come from RunJob's path rules (no `..`, no absolute path, no dot segment) or
    // from the language spec; the check is repeated here because this write is on the host.
    if (jobPathProblem(name) !== null) throw new Error(`unsafe file name in a build plan: ${name}`)
    const target = path.join(dir, name)
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 })
    await writeFile(target, content, { mode: 0o644, flag: 'wx' })
    tops.add(name.split('/')[0] ?? name)
  }
  return [...tops].map((top) => ({ boxPath: `/box/${top}`, hostPath: path.join(dir, top) }))
}

/**
 * The candidate's files may not take a name the runner writes itself (the harness, the
 * solution's own file, a folder the runner uses): what to tell them, or undefined.
 */
function reservedNameClash(
  plan: BuildPlan,
  extraFiles: Record<string, string>,
): string | undefined {
  const reserved = new Set([
    ...Object.keys(plan.files),
    ...Object.keys(plan.staticFiles ?? {}),
    plan.sourceFile,
    // Mount points inside /box: compiled output, the prebuild, the static folder.
    'out',
    'bin',
    'pch',
  ])
  const clash = Object.keys(extraFiles).find(
    (name) => reserved.has(name) || reserved.has(name.split('/')[0] ?? name),
  )
  return clash === undefined
    ? undefined
    : `${clash}: the runner uses this name itself; rename the file.`
}

function compileError(job: RunJob, output: string, durationMs: number): RunSummary {
  return summarize({ job, results: [], durationMs, compileOutput: output })
}

function internalError(job: RunJob, message: string, durationMs: number): RunSummary {
  return internalErrorSummary(job.tests.length, message, durationMs)
}
