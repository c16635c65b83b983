/**
 * A fixed-window counter per key, in memory: enough to slow password guessing on one server.
 * (Scale-out would keep it in Redis.)
 */
export class RateLimiter {
  readonly #limit: number
  readonly #windowMs: number
  readonly #hits = new Map<string, { count: number; resetAt: number }>()

  /** `limit` attempts per `windowMs` milliseconds per key. */
  constructor(options: { limit: number; windowMs: number }) {
    this.#limit = options.limit
    this.#windowMs = options.windowMs
  }

  /** Counts an attempt; false when the key is over its limit for the current window. */
  attempt(key: string, now = Date.now()): boolean {
    const entry = this.#hits.get(key)
    if (entry === undefined || entry.resetAt <= now) {
      this.#sweep(now)
      this.#hits.set(key, { count: 1, resetAt: now + this.#windowMs })
      return true
    }
    entry.count++
    return entry.count <= this.#limit
  }

  reset(key: string): void {
    this.#hits.delete(key)
  }

  /** Drops expired windows so the map cannot grow without bound. */
  #sweep(now: number): void {
    if (this.#hits.size < 10_000) return
    for (const [key, entry] of this.#hits) if (entry.resetAt <= now) this.#hits.delete(key)
  }
}
