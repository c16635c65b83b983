/** The orchestrator's handle on a server under test (bench/lib/serverMain.ts in a child process). */
import { IpcChannel } from './IpcChannel.ts'
import type { ServerKind, ServerStats, Ticket, TicketOptions } from './serverMain.ts'

export type { ServerKind, ServerStats, Ticket, TicketOptions }

export interface ServerProcessOptions {
  kind: ServerKind
  /** Tandem only: another checkout to run the server of. Default: this one. */
  root?: string
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  execArgv?: string[]
  /** Extra environment, e.g. BENCH_ROOM_IDLE_MS. */
  env?: Record<string, string>
}

export class ServerProcess {
  readonly kind: ServerKind
  readonly #ipc: IpcChannel
  #serverUrl = ''
  #httpUrl = ''

  private constructor(kind: ServerKind, ipc: IpcChannel) {
    this.kind = kind
    this.#ipc = ipc
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const ipc = new IpcChannel({
      module: new URL('./serverMain.ts', import.meta.url).pathname,
      args: options.root === undefined ? [options.kind] : [options.kind, options.root],
      execArgv: ['--expose-gc', ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
    })
    await ipc.ready()
    const server = new ServerProcess(options.kind, ipc)
    const info = await ipc.call<{ serverUrl: string; httpUrl: string }>('info')
    server.#serverUrl = info.serverUrl
    server.#httpUrl = info.httpUrl
    return server
  }

  /** What a WebsocketProvider connects to. */
  get serverUrl(): string {
    return this.#serverUrl
  }

  get httpUrl(): string {
    return this.#httpUrl
  }

  get pid(): number {
    return this.#ipc.pid
  }

  /** Room names and participant tokens for `count` new rooms (created before the timed phase). */
  tickets(count: number, prefix: string, options?: TicketOptions): Promise<Ticket[]> {
    return this.#ipc.call('tickets', { count, prefix, options })
  }

  /**
   * `gc`: collect garbage first, so the heap figure is what is really held. `resetLoopDelay`:
   * start the event-loop delay histogram afresh after reading it.
   */
  stats(gc = false, resetLoopDelay = false): Promise<ServerStats> {
    return this.#ipc.call('stats', { gc, resetLoopDelay })
  }

  texts(names: string[], filePath: string): Promise<Record<string, string | null>> {
    return this.#ipc.call('texts', { names, filePath })
  }

  heapSnapshot(file: string): Promise<string> {
    return this.#ipc.call('heapSnapshot', { file })
  }

  /** Profiles the server's CPU until `profileStop`, which writes a .cpuprofile to `file`. */
  profileStart(): Promise<void> {
    return this.#ipc.call('profileStart')
  }

  profileStop(file: string): Promise<string> {
    return this.#ipc.call('profileStop', { file })
  }

  async close(): Promise<void> {
    await this.#ipc.call('close').catch(() => undefined)
    await this.#ipc.exit()
  }
}

/** Checks the server's own replica of every room against the text the generators expect. */
export async function verifyServerReplicas(
  server: ServerProcess,
  expected: Record<string, string>,
  filePath: string,
): Promise<{ replicas: number; exact: number }> {
  const names = Object.keys(expected)
  const texts = await server.texts(names, filePath)
  return {
    replicas: names.length,
    exact: names.filter((name) => texts[name] === expected[name]).length,
  }
}
