/**
 * The isolated-vm engine: JavaScript and TypeScript, each run in a fresh V8 context inside an
 * isolate with its own heap limit, on isolated-vm's threads (so runs proceed in parallel while
 * this thread only judges and streams). TypeScript, and JavaScript written as an ES module, is
 * transpiled on the host by esbuild first. See JsRun for how one run goes, and docs/SANDBOX.md.
 */
import os from 'node:os'
import ivm from 'isolated-vm'
import { version as esbuildVersion } from 'esbuild'
import { languageFacts, type LanguageInfo } from '../../protocol/languages.ts'
import type { JobTest, RunSummary } from '../../protocol/run.ts'
import type { Engine, EngineContext, EngineRun, SandboxLog } from '../Engine.ts'
import { languageModules } from '../languages/index.ts'
import { dispose, IsolatePool } from './IsolatePool.ts'
import type { DerivedTest } from './IsolateSession.ts'
import { JsRun } from './JsRun.ts'
import { Transpiler } from './Transpiler.ts'

export interface JsEngineOptions {
  /** Runs one isolate serves (each in a fresh context) before it is disposed. Default 50. */
  isolateReuse?: number
  /** Idle isolates kept warm per memory limit. Default: os.availableParallelism(). */
  maxIdleIsolates?: number
  log?: SandboxLog
  /** See EngineContext.retire; called after an isolate fails beyond recovery. */
  retire?: (reason: string) => void
}

export class JsEngine implements Engine {
  readonly languages = ['javascript', 'typescript'] as const
  private readonly pool: IsolatePool
  private readonly transpiler = new Transpiler()
  private readonly log: SandboxLog
  private readonly running = new Set<Promise<unknown>>()
  private readonly derived = new WeakMap<JobTest, DerivedTest>()
  private closed = false

  constructor(options: JsEngineOptions = {}) {
    this.log = options.log ?? (() => {})
    const retire = options.retire ?? (() => {})
    this.pool = new IsolatePool({
      maxUses: options.isolateReuse,
      maxIdle: options.maxIdleIsolates ?? os.availableParallelism(),
      onCatastrophe: (_lease, message) => {
        this.log('error', 'isolate failed beyond recovery', { message })
        retire(`an isolate failed: ${message}`)
      },
    })
    // esbuild's service takes ~50 ms to start; start it now rather than in the first TS run.
    this.transpiler.warmUp().catch((error: unknown) => {
      this.log('warn', 'esbuild did not start', { error: String(error) })
    })
  }

  /** Creates the engine as the sandbox process's registry does (see sandbox/engines.ts). */
  static fromContext(context: EngineContext): JsEngine {
    return new JsEngine({ log: context.log, retire: context.retire })
  }

  async probe(): Promise<LanguageInfo[]> {
    const v8 = `V8 ${process.versions.v8.replace(/-node\.\d+$/, '')}`
    let problem: string | undefined
    // The self-test: an isolate that evaluates something.
    const isolate = new ivm.Isolate({ memoryLimit: 8 })
    try {
      const context = await isolate.createContext()
      const answer: unknown = await context.eval('6 * 7', { timeout: 1_000 })
      if (answer !== 42) problem = `isolated-vm answered ${String(answer)} to 6 * 7`
    } catch (error) {
      problem = `isolated-vm does not work here: ${String(error)}`
    } finally {
      dispose(isolate)
    }
    const info = (id: 'javascript' | 'typescript', version: string) => {
      const { engine } = languageModules[id]
      if (engine.kind !== 'isolate') throw new Error(`${id} is not an isolate language`)
      return {
        id,
        name: languageFacts[id].name,
        version,
        available: problem === undefined,
        ...(problem === undefined ? {} : { reason: problem }),
        limits: engine.limits,
        timeMultiplier: engine.timeMultiplier,
      }
    }
    return [info('javascript', v8), info('typescript', `esbuild ${esbuildVersion}, ${v8}`)]
  }

  async run(run: EngineRun): Promise<RunSummary> {
    if (this.closed) throw new Error('The JavaScript engine is closed')
    const execution = new JsRun({
      ...run,
      pool: this.pool,
      transpiler: this.transpiler,
      log: this.log,
      derived: this.derived,
    }).execute()
    this.running.add(execution)
    try {
      return await execution
    } finally {
      this.running.delete(execution)
    }
  }

  /** Waits for runs in flight (their owners abort them), then disposes every isolate. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.allSettled([...this.running])
    this.pool.close()
  }
}
