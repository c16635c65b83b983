/**
 * Warm isolates for JavaScript runs. Every run gets a fresh context (its own globals and
 * built-ins: nothing a run defines or pollutes is visible to the next), but creating the isolate
 * itself costs ~2 ms of main-thread time against ~0.6 ms for a context, so an isolate that
 * finished a run cleanly serves further runs.
 *
 * An isolate is never reused after anything unusual: a timeout, a memory or output limit, a
 * cancellation, the isolate's failure. Those are disposed. What a finished run leaves in the
 * heap is garbage once its context is released, collected before the next run could run out.
 * Each isolate also retires after `maxUses` runs, which bounds whatever V8 keeps per isolate
 * (code caches, heap fragmentation). (A heap check after each run was tried and dropped: V8's
 * heap statistics cost ~2.5 ms, as much as a run.)
 */
import ivm from 'isolated-vm'
import { preludeFilename, preludeSource } from './prelude.ts'

export interface IsolatePoolOptions {
  /** Runs one isolate serves before it is disposed; 1 gives every run a new isolate. Default 50. */
  maxUses?: number
  /** Idle isolates kept per memory limit. Default 2. */
  maxIdle?: number
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
  private readonly maxUses: number
  private readonly maxIdle: number
  private readonly onCatastrophe: IsolatePoolOptions['onCatastrophe']
  private closed = false

  constructor(options: IsolatePoolOptions) {
    this.maxUses = options.maxUses ?? 50
    this.maxIdle = options.maxIdle ?? 2
    this.onCatastrophe = options.onCatastrophe
  }

  /** An idle isolate with this memory limit, or a new one. */
  async acquire(memoryMb: number): Promise<IsolateLease> {
    const idle = this.idle.get(memoryMb)
    let lease = idle?.pop()
    while (lease !== undefined && lease.isolate.isDisposed) lease = idle?.pop()
    if (lease !== undefined) {
      lease.uses++
      return lease
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
   * happened; the pool also checks the heap, and disposes the isolate when in doubt.
   */
  release(lease: IsolateLease, reusable: boolean): void {
    lease.onCatastrophe = undefined
    const idle = this.idle.get(lease.memoryMb) ?? []
    if (
      this.closed ||
      !reusable ||
      lease.uses >= this.maxUses ||
      idle.length >= this.maxIdle ||
      lease.isolate.isDisposed
    ) {
      dispose(lease.isolate)
      return
    }
    idle.push(lease)
    this.idle.set(lease.memoryMb, idle)
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
