/**
 * Warm isolates for JavaScript runs. Every run gets a fresh context (its own globals and
 * built-ins: nothing a run defines or pollutes is visible to the next), but creating the isolate
 * itself costs ~2 ms of main-thread time against ~0.6 ms for a context, so an isolate that
 * finished a run cleanly serves further runs.
 *
 * An isolate is never reused after anything unusual: a timeout, a memory or output limit, a
 * cancellation, the isolate's failure. Those are disposed. Nor after a run that left much in the
 * heap: what a finished run leaves is garbage once its context is released, but V8 collects it
 * when it gets to, and on a busy machine the next run could reach its memory limit first (a run
 * that left 40 MiB made the next, which needed 40 of its 64, fail `memory_limit` 3 times in 8
 * with two cores busy: tests/box/noStateCrossesRuns.test.ts). So the pool reads the heap's size
 * after each run, off the main thread (isolated-vm's asynchronous getHeapStatistics), and keeps
 * the isolate only below `reuseHeapFraction` of its limit; the isolate is idle once the answer
 * is in. Each isolate also retires after `maxUses` runs, which bounds whatever V8 keeps per
 * isolate (code caches, heap fragmentation).
 */
import ivm from 'isolated-vm'
import { preludeFilename, preludeSource } from './prelude.ts'

export interface IsolatePoolOptions {
  /** Runs one isolate serves before it is disposed; 1 gives every run a new isolate. Default 50. */
  maxUses?: number
  /** Idle isolates kept per memory limit. Default 2. */
  maxIdle?: number
  /**
   * An isolate whose heap holds more than this fraction of its limit after a run is disposed
   * rather than reused. Default 0.25.
   */
  reuseHeapFraction?: number
  /**
   * Called when isolated-vm reports that an isolate is beyond recovery (V8 ran out of memory
   * outside the limit's reach, or a script could not be terminated). The isolate's thread is
   * lost; the process should finish its work and exit.
   */
  onCatastrophe: (lease: IsolateLease, message: string) => void
}

/** An isolate lent to one run. */
export interface IsolateLease {
  readonly isolate: ivm.Isolate
  readonly memoryMb: number
  /** The prelude, compiled in this isolate. */
  readonly prelude: ivm.Script
  /** Set by the run holding the lease; told when the isolate fails catastrophically. */
  onCatastrophe: ((message: string) => void) | undefined
  uses: number
}

export class IsolatePool {
  private readonly idle = new Map<number, IsolateLease[]>()
  /** Heap checks in flight (see release), by memory limit. */
  private readonly checking = new Map<number, Set<Promise<void>>>()
  private readonly maxUses: number
  private readonly maxIdle: number
  private readonly reuseHeapFraction: number
  private readonly onCatastrophe: IsolatePoolOptions['onCatastrophe']
  private closed = false

  constructor(options: IsolatePoolOptions) {
    this.maxUses = options.maxUses ?? 50
    this.maxIdle = options.maxIdle ?? 2
    this.reuseHeapFraction = options.reuseHeapFraction ?? 0.25
    this.onCatastrophe = options.onCatastrophe
  }

  /**
   * An idle isolate with this memory limit, or a new one. An isolate whose heap is being checked
   * is waited for (the check takes well under a millisecond on an idle isolate), so back-to-back
   * runs reuse one.
   */
  async acquire(memoryMb: number): Promise<IsolateLease> {
    const idle = this.idle.get(memoryMb)
    let lease = idle?.pop()
    while (lease !== undefined && lease.isolate.isDisposed) lease = idle?.pop()
    if (lease !== undefined) {
      lease.uses++
      return lease
    }
    const checking = this.checking.get(memoryMb)
    if (checking !== undefined && checking.size > 0) {
      await Promise.race(checking)
      return this.acquire(memoryMb)
    }
    // isolated-vm's minimum is 8 MB.
    const memoryLimit = Math.max(8, Math.round(memoryMb))
    const created: { lease?: IsolateLease } = {}
    const isolate = new ivm.Isolate({
      memoryLimit,
      onCatastrophicError: (message) => {
        const current = created.lease
        if (current === undefined) return
        current.onCatastrophe?.(message)
        this.onCatastrophe(current, message)
      },
    })
    try {
      const prelude = await isolate.compileScript(preludeSource, { filename: preludeFilename })
      created.lease = { isolate, memoryMb, prelude, onCatastrophe: undefined, uses: 1 }
      return created.lease
    } catch (error) {
      dispose(isolate)
      throw error
    }
  }

  /**
   * Takes the isolate back after a run. `reusable` is the run's word that nothing unusual
   * happened; the pool also checks the heap, and disposes the isolate when in doubt. The
   * returned promise settles once the isolate is idle or disposed (tests wait for it; the run
   * does not).
   */
  release(lease: IsolateLease, reusable: boolean): Promise<void> {
    lease.onCatastrophe = undefined
    if (!this.mayKeep(lease) || !reusable) {
      dispose(lease.isolate)
      return Promise.resolve()
    }
    const limitBytes = lease.memoryMb * 1024 * 1024
    const checking = this.checking.get(lease.memoryMb) ?? new Set<Promise<void>>()
    this.checking.set(lease.memoryMb, checking)
    const check = lease.isolate
      .getHeapStatistics()
      .then(
        (heap) => {
          if (!this.mayKeep(lease) || heap.used_heap_size > limitBytes * this.reuseHeapFraction) {
            dispose(lease.isolate)
            return
          }
          const idle = this.idle.get(lease.memoryMb) ?? []
          idle.push(lease)
          this.idle.set(lease.memoryMb, idle)
        },
        // Disposed meanwhile (a catastrophe, the pool closing): nothing to keep.
        () => dispose(lease.isolate),
      )
      .finally(() => checking.delete(check))
    checking.add(check)
    return check
  }

  /** Whether the pool would keep this isolate, as far as it knows without asking V8. */
  private mayKeep(lease: IsolateLease): boolean {
    const idle = this.idle.get(lease.memoryMb)?.length ?? 0
    return (
      !this.closed && lease.uses < this.maxUses && idle < this.maxIdle && !lease.isolate.isDisposed
    )
  }

  /** Disposes every idle isolate; isolates out on lease are disposed when released. */
  close(): void {
    this.closed = true
    for (const leases of this.idle.values()) for (const lease of leases) dispose(lease.isolate)
    this.idle.clear()
  }
}

/** Disposes an isolate unless isolated-vm already has (it throws on a second dispose). */
export function dispose(isolate: ivm.Isolate): void {
  if (isolate.isDisposed) return
  try {
    isolate.dispose()
  } catch {
    // Disposed between the check and the call: nothing left to release.
  }
}
