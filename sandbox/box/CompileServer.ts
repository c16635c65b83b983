/**
 * A warm compiler in its own long-lived compile box (Java: javac kept loaded and JIT-compiled in
 * one JVM, see TandemCompileServer.java). It runs no candidate code: it only reads sources and
 * writes class files. It takes one request at a time; a compile that finds it busy, starting or
 * dead goes to a cold compile box instead, so one slow compile never holds up the others.
 *
 * Each request gets the compile stage's own time budget (wall and CPU of the whole box); a
 * request that runs out of time or memory ends the server, and a fresh one starts.
 *
 * Protocol: one JSON line per request on stdin, `{"id", "files"}`; one JSON line per response on
 * stdout, `{"id", "ok", "output", "classes": {name: base64}}`.
 */
import { Box, type BoxLimits } from './Box.ts'
import type { BoxHost } from './BoxHost.ts'
import { compileBudget } from './boxLimits.ts'
import type { CompileResult } from './compileInBox.ts'
import type { Bind, StageCommand } from './LanguageSpec.ts'
import { isSafeArtifactName, type TarFile } from './readTar.ts'

export interface CompileServerOptions {
  host: BoxHost
  stage: StageCommand
  binds: readonly Bind[]
  /** Host folder mounted as /box (its prebuilt classes). */
  files: readonly { boxPath: string; hostPath: string }[]
  workDir: string
  limits: BoxLimits
  /** Sources compiled right after start, so the first candidate finds javac JIT-compiled. */
  warmUp: Record<string, string>
}

/** While waiting for requests the server may idle this long, ms, then it is restarted. */
const idleMs = 60 * 60_000

/** Bytes of one response (class files in base64) before the server is stopped. */
const responseBytes = 64 << 20

interface Pending {
  id: number
  resolve: (response: ServerResponse | undefined) => void
}

interface ServerResponse {
  id: number
  ok: boolean
  output: string
  classes: Record<string, string>
}

export class CompileServer {
  private readonly options: CompileServerOptions
  private box: Box | undefined
  private ready: Promise<boolean> | undefined
  private busy = false
  private closed = false
  private nextId = 1
  private pending: Pending | undefined
  private buffered = ''

  constructor(options: CompileServerOptions) {
    this.options = options
  }

  /** Starts the server and warms it up; resolves false when it could not start. */
  start(): Promise<boolean> {
    this.ready ??= this.launch()
    return this.ready
  }

  /**
   * Compiles `files` when the server is idle; undefined when it is busy, not started or broken
   * (then the caller compiles in a cold compile box).
   */
  async tryCompile(
    files: Record<string, string>,
    timeMs: number,
    signal: AbortSignal,
  ): Promise<CompileResult | undefined> {
    if (this.busy || this.closed || this.box === undefined || !this.box.alive) return undefined
    // Claimed before the await: two compiles arriving together would both pass the check above,
    // and the second request would replace the first's pending one (which then waited for the
    // box to die, up to the idle budget).
    this.busy = true
    try {
      const box = this.box
      if ((await this.ready) !== true || !box.alive) return undefined
      return await this.compileOn(box, files, timeMs, signal)
    } finally {
      this.busy = false
    }
  }

  private async compileOn(
    box: Box,
    files: Record<string, string>,
    timeMs: number,
    signal: AbortSignal,
  ): Promise<CompileResult | undefined> {
    const onAbort = (): void => box.kill('aborted')
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      box.resetBudget(compileBudget(timeMs))
      const response = await this.request(files)
      box.resetBudget({ wallMs: idleMs, cpuMs: idleMs })
      if (response !== undefined) return toResult(response)
      // The box died during the request (a fresh server is starting): say why.
      const exit = await box.done
      const seconds = timeMs / 1000
      if (exit.killedFor === 'aborted')
        return { outcome: { error: 'The run was cancelled.' }, remember: false }
      // A warm compiler starved of CPU hands the compile to a compile box, which may retry.
      if (exit.killedFor === 'starved') return undefined
      if (exit.killedFor === 'timeout') {
        return {
          outcome: { error: `Compilation took longer than ${seconds} s and was stopped.` },
          remember: false,
        }
      }
      if (exit.oomKilled) {
        const limit = this.options.limits.memoryBytes >> 20
        return {
          outcome: { error: `The compiler ran out of memory (${limit} MiB).` },
          remember: false,
        }
      }
      return undefined
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.box?.kill('aborted')
    await this.box?.done
  }

  private async launch(): Promise<boolean> {
    const { options } = this
    try {
      const box = await Box.start(options.host, {
        command: options.stage.command,
        env: options.stage.env,
        binds: options.binds,
        workDir: options.workDir,
        files: options.files,
        limits: options.limits,
        budget: { wallMs: idleMs, cpuMs: idleMs },
        mergeStderr: false,
      })
      this.box = box
      box.onStdout((chunk) => this.receive(chunk))
      let warmedUp = false
      void box.done.then(() => {
        this.pending?.resolve(undefined)
        this.pending = undefined
        // A server that worked and then died (timeout, memory, idle) is replaced; one that
        // never came up is not retried in a loop: compiles then go to cold compile boxes.
        if (this.box === box && warmedUp && !this.closed) {
          this.box = undefined
          this.ready = undefined
          void this.start()
        }
      })
      // Warm-up compiles; the JIT needs a few rounds before javac runs at full speed.
      for (let round = 0; round < 3; round++) {
        this.busy = true
        const response = await this.request(options.warmUp)
        this.busy = false
        if (response === undefined) return false
      }
      box.resetBudget({ wallMs: idleMs, cpuMs: idleMs })
      warmedUp = true
      return true
    } catch {
      return false
    }
  }

  private request(files: Record<string, string>): Promise<ServerResponse | undefined> {
    const box = this.box
    if (box === undefined) return Promise.resolve(undefined)
    const id = this.nextId++
    box.setOutputLimit(box.outputBytesSeen + responseBytes)
    return new Promise((resolve) => {
      this.pending = { id, resolve }
      box.write(`${JSON.stringify({ id, files })}\n`)
    })
  }

  private receive(chunk: Buffer): void {
    this.buffered += chunk.toString('utf8')
    for (let end = this.buffered.indexOf('\n'); end !== -1; end = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, end)
      this.buffered = this.buffered.slice(end + 1)
      let response: ServerResponse
      try {
        response = JSON.parse(line) as ServerResponse
      } catch {
        continue
      }
      if (this.pending?.id === response.id) {
        this.pending.resolve(response)
        this.pending = undefined
      }
    }
  }
}

function toResult(response: ServerResponse): CompileResult {
  if (!response.ok) {
    return {
      outcome: { error: response.output === '' ? 'Compilation failed.' : response.output },
      remember: true,
    }
  }
  const files: TarFile[] = []
  for (const [name, base64] of Object.entries(response.classes)) {
    if (!isSafeArtifactName(name))
      return { outcome: { error: `unexpected class file ${name}` }, remember: false }
    files.push({ name, mode: 0o644, data: Buffer.from(base64, 'base64') })
  }
  return { outcome: { files, output: response.output }, remember: true }
}
