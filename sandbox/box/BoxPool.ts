/**
 * Boxes started ahead of demand. A box whose command does not depend on the job (Python's
 * function-style harness: its files are static and the candidate's source arrives on stdin) can
 * be started before the job exists: bubblewrap, namespaces, cgroup and the interpreter's own
 * startup are done while nobody waits. The box then sits blocked on stdin.
 *
 * A pre-started box serves exactly one run and is destroyed like any other; it has run no
 * candidate code before it is taken, so nothing crosses from one run to the next. When a run's
 * box ends, the pool starts a replacement of the same shape. Boxes idle longer than `idleMs` time out and are not
 * replaced until a run asks for that shape again.
 */
import os from 'node:os'
import { Box, type BoxRequest } from './Box.ts'
import type { BoxHost } from './BoxHost.ts'

export interface BoxPoolOptions {
  /**
   * Idle boxes kept per shape (command, files, limits). Default: two per core, at least 2 (a box
   * takes longer to start than a short run takes, so back-to-back runs drain a shallower pool);
   * 0 turns the pool off.
   */
  perShape?: number | undefined
  /** Shapes kept warm at once; the least recently used beyond it are dropped. Default 4. */
  maxShapes?: number | undefined
  /** An idle box is stopped after this long, ms. Default 10 minutes. */
  idleMs?: number | undefined
}

/** A box request without the parts a pooled box learns when it is taken. */
export type PoolableRequest = Omit<BoxRequest, 'stdin'>

export class BoxPool {
  private readonly host: BoxHost
  private readonly perShape: number
  private readonly maxShapes: number
  private readonly idleMs: number
  /** Shape key → idle boxes, most recently used shape last. */
  private readonly idle = new Map<string, Promise<Box>[]>()
  private closed = false

  constructor(host: BoxHost, options: BoxPoolOptions = {}) {
    this.host = host
    this.perShape = options.perShape ?? Math.max(2, 2 * os.availableParallelism())
    this.maxShapes = options.maxShapes ?? 4
    this.idleMs = options.idleMs ?? 10 * 60_000
  }

  /**
   * A box for `request`, already started when the pool had one of its shape. The caller sends
   * its stdin and sets its budget; the box's first budget only covers the wait.
   */
  async take(request: PoolableRequest): Promise<Box> {
    const key = shapeOf(request)
    const waiting = this.idle.get(key) ?? []
    this.idle.delete(key)
    this.idle.set(key, waiting)
    let box: Box | undefined
    while (box === undefined && waiting.length > 0) {
      const candidate = await waiting.shift()?.catch(() => undefined)
      if (candidate?.alive === true) box = candidate
    }
    if (box === undefined) {
      box = await Box.start(this.host, request)
      // No box of this shape was waiting (its first run, or more runs than boxes): start its
      // replacements now, since a run may report and the next one arrive before this box exits.
      this.refill(key, request)
      return box
    }
    box.resetBudget(request.budget)
    box.setOutputLimit(request.limits.outputBytes)
    // The replacement starts once this run is over: starting it now would compete for the CPU
    // with the very run it is meant to speed up.
    void box.exited.then(() => this.refill(key, request))
    return box
  }

  /** Stops every idle box. */
  async close(): Promise<void> {
    this.closed = true
    const boxes = [...this.idle.values()].flat()
    this.idle.clear()
    await Promise.all(
      boxes.map(async (pending) => {
        const box = await pending.catch(() => undefined)
        box?.kill('aborted')
        await box?.done
      }),
    )
  }

  private refill(key: string, request: PoolableRequest): void {
    if (this.closed || this.perShape === 0) return
    const waiting = this.idle.get(key) ?? []
    while (waiting.length < this.perShape) {
      const starting = Box.start(this.host, {
        ...request,
        budget: { wallMs: this.idleMs, cpuMs: this.idleMs },
      })
      // An idle box that fails to start or dies simply is not there when asked for.
      starting.catch(() => undefined)
      waiting.push(starting)
    }
    this.idle.set(key, waiting)
    while (this.idle.size > this.maxShapes) {
      const [oldest] = this.idle.keys()
      if (oldest === undefined) break
      const dropped = this.idle.get(oldest) ?? []
      this.idle.delete(oldest)
      for (const pending of dropped)
        void pending.then((box) => box.kill('aborted')).catch(() => undefined)
    }
  }
}

/** Everything that makes two boxes interchangeable before a job reaches them. */
function shapeOf(request: PoolableRequest): string {
  const { limits, budget: _budget, ...rest } = request
  const { outputBytes: _output, ...fixedLimits } = limits
  return JSON.stringify({ ...rest, limits: fixedLimits })
}
