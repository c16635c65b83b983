/** The orchestrator's handle on a load generator shard (bench/lib/generatorMain.ts). */
import type { RoomSpec } from './BenchRoom.ts'
import type { ShardVerdict, ShardWindow } from './generatorMain.ts'
import { IpcChannel } from './IpcChannel.ts'
import type { RunnerSpec } from './RoomRunner.ts'

export type { ShardVerdict, ShardWindow }

export class GeneratorShard {
  readonly #ipc: IpcChannel

  private constructor(ipc: IpcChannel) {
    this.#ipc = ipc
  }

  static async start(): Promise<GeneratorShard> {
    const ipc = new IpcChannel({
      module: new URL('./generatorMain.ts', import.meta.url).pathname,
    })
    await ipc.ready()
    return new GeneratorShard(ipc)
  }

  static startMany(count: number): Promise<GeneratorShard[]> {
    return Promise.all(Array.from({ length: count }, () => GeneratorShard.start()))
  }

  /** Opens rooms (`concurrency` at a time); resolves with the shard's room count once all sync. */
  addRooms(specs: RoomSpec[], concurrency = 16, timeoutMs = 60_000): Promise<number> {
    return this.#ipc.call('addRooms', { specs, concurrency, timeoutMs })
  }

  /** Connects each room's two socket.io clients; their runs start with `startRuns`. */
  addRunners(specs: RunnerSpec[], everyMs: number, timeoutMs = 60_000): Promise<number> {
    return this.#ipc.call('addRunners', { specs, everyMs, timeoutMs })
  }

  startRuns(): Promise<void> {
    return this.#ipc.call('startRuns')
  }

  stopRuns(): Promise<void> {
    return this.#ipc.call('stopRuns')
  }

  closeRunners(): Promise<void> {
    return this.#ipc.call('closeRunners')
  }

  startTyping(): Promise<void> {
    return this.#ipc.call('startTyping')
  }

  stopTyping(): Promise<void> {
    return this.#ipc.call('stopTyping')
  }

  beginWindow(window: number): Promise<void> {
    return this.#ipc.call('beginWindow', { window })
  }

  endWindow(window: number, graceMs: number): Promise<ShardWindow> {
    return this.#ipc.call('endWindow', { window, graceMs })
  }

  verify(timeoutMs = 30_000): Promise<ShardVerdict> {
    return this.#ipc.call('verify', { timeoutMs })
  }

  /** Closes every client (everyone leaves) and ends the process. */
  async close(): Promise<void> {
    await this.#ipc.call('close').catch(() => undefined)
    await this.#ipc.exit()
  }
}
