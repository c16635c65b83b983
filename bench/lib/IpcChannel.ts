/**
 * Request/response over a forked child's IPC channel (structured clone, so typed arrays and
 * Uint8Arrays cross as they are). The parent holds an `IpcChannel`; the child calls `serveIpc`.
 */
import { fork, type ChildProcess } from 'node:child_process'

interface IpcRequest {
  id: number
  method: string
  params: unknown
}

interface IpcReply {
  id: number
  result?: unknown
  error?: string
}

/** Sent once by the child when it serves requests (messages sent earlier could be lost). */
const readyMessage = 'ipc:ready'

export interface ForkOptions {
  /** The entry file (TypeScript, run by Node's type stripping). */
  module: string
  args?: string[]
  /** Extra Node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  execArgv?: string[]
  env?: NodeJS.ProcessEnv
}

export class IpcChannel {
  readonly child: ChildProcess
  readonly #waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >()
  readonly #ready: Promise<void>
  #nextId = 1
  #exited: Error | null = null

  constructor(options: ForkOptions) {
    this.child = fork(options.module, options.args ?? [], {
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.#ready = new Promise<void>((resolve, reject) => {
      this.child.once('exit', (code, signal) => {
        reject(new Error(`${options.module} exited before serving (${signal ?? code})`))
      })
      this.child.on('message', (message: unknown) => message === readyMessage && resolve())
    })
    this.#ready.catch(() => undefined)
    this.child.on('message', (message: IpcReply) => {
      if (typeof message !== 'object') return
      const waiter = this.#waiting.get(message.id)
      if (waiter === undefined) return
      this.#waiting.delete(message.id)
      if (message.error !== undefined) waiter.reject(new Error(message.error))
      else waiter.resolve(message.result)
    })
    this.child.on('exit', (code, signal) => {
      this.#exited = new Error(`${options.module} exited (${signal ?? code})`)
      for (const waiter of this.#waiting.values()) waiter.reject(this.#exited)
      this.#waiting.clear()
    })
  }

  /** Resolves once the child serves requests; rejects if it exits first. */
  ready(): Promise<void> {
    return this.#ready
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  call<T>(method: string, params: unknown = null): Promise<T> {
    if (this.#exited !== null) return Promise.reject(this.#exited)
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.send({ id, method, params } satisfies IpcRequest)
    })
  }

  /** Waits for the child to exit, killing it after `graceMs`. */
  async exit(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
}

export type IpcHandlers = Record<string, (params: never) => unknown>

/** In the child: answers requests with `handlers[method](params)`; a throw becomes the error. */
export function serveIpc(handlers: IpcHandlers): void {
  process.on('message', (message: IpcRequest) => {
    const handler = handlers[message.method] as ((params: unknown) => unknown) | undefined
    const reply = (body: Omit<IpcReply, 'id'>): void => {
      if (process.connected) process.send?.({ id: message.id, ...body })
    }
    if (handler === undefined) {
      reply({ error: `unknown method ${message.method}` })
      return
    }
    Promise.resolve()
      .then(() => handler(message.params))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? error.stack : String(error) }),
      )
  })
  // The orchestrator died: do not linger as an orphan.
  process.on('disconnect', () => process.exit(0))
  process.send?.(readyMessage)
}
