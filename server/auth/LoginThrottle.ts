/**
 * Slows password guessing per key with a growing wait instead of a lock-out, in memory (enough for
 * one server; scale-out would keep it in Redis).
 *
 * Every attempt is counted when it starts (so a burst of parallel guesses cannot all slip in before
 * the first one fails) and `forgive` takes it back when the password was right. The first
 * `freeAttempts` come without a wait; after that each one must wait twice as long as the last,
 * from `baseDelayMs` up to `maxDelayMs`, counted from the wrong answer (`failed`), so a slow
 * password check does not eat into the wait. A key is forgotten `forgetMs` after its last attempt.
 */
export interface LoginThrottleOptions {
  /** Attempts without any wait. */
  freeAttempts: number
  /** The wait after the first attempt beyond the free ones, ms. Default 1 s. */
  baseDelayMs?: number
  /** The longest wait, ms. Default 15 minutes. */
  maxDelayMs?: number
  /** A key with no attempt for this long starts afresh, ms. Default 1 hour. */
  forgetMs?: number
}

/** The answer to an attempt: go ahead, or wait this long first. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number }

interface KeyState {
  attempts: number
  /** Before this time (epoch ms) further attempts are refused. */
  nextAllowedAt: number
  lastAttemptAt: number
}

/** Past this many keys, forgotten ones are swept so the map cannot grow without bound. */
const sweepAbove = 10_000

export class LoginThrottle {
  readonly #freeAttempts: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #forgetMs: number
  readonly #keys = new Map<string, KeyState>()

  constructor(options: LoginThrottleOptions) {
    this.#freeAttempts = options.freeAttempts
    this.#baseDelayMs = options.baseDelayMs ?? 1000
    this.#maxDelayMs = options.maxDelayMs ?? 15 * 60_000
    this.#forgetMs = options.forgetMs ?? 3600_000
  }

  /** Counts an attempt on `key`, unless it comes too soon after the last one. */
  attempt(key: string, now = Date.now()): ThrottleVerdict {
    let state = this.#keys.get(key)
    if (state !== undefined && now - state.lastAttemptAt >= this.#forgetMs) state = undefined
    if (state === undefined) {
      if (this.#keys.size >= sweepAbove) this.#sweep(now)
      state = { attempts: 0, nextAllowedAt: 0, lastAttemptAt: now }
      this.#keys.set(key, state)
    }
    // A refused attempt is not counted: waiting out the delay is all it takes to try again.
    if (now < state.nextAllowedAt)
      return { allowed: false, retryAfterMs: state.nextAllowedAt - now }
    state.attempts++
    state.lastAttemptAt = now
    // Set now too, so parallel attempts beyond the free ones are refused while this one is checked.
    state.nextAllowedAt = now + this.#delayAfter(state.attempts)
    return { allowed: true }
  }

  /** The attempt on `key` was wrong: restarts its wait from now; returns the wait, ms (0: none). */
  failed(key: string, now = Date.now()): number {
    const state = this.#keys.get(key)
    if (state === undefined) return 0
    const delay = this.#delayAfter(state.attempts)
    state.nextAllowedAt = Math.max(state.nextAllowedAt, now + delay)
    return delay
  }

  /** Takes back one attempt on `key` (it turned out to be the right password). */
  forgive(key: string): void {
    const state = this.#keys.get(key)
    if (state === undefined) return
    state.attempts = Math.max(0, state.attempts - 1)
    if (state.attempts <= this.#freeAttempts) state.nextAllowedAt = 0
  }

  /** Forgets `key` entirely (its owner signed in from there). */
  reset(key: string): void {
    this.#keys.delete(key)
  }

  /** The wait after the `attempts`-th attempt, ms. */
  #delayAfter(attempts: number): number {
    const beyondFree = attempts - this.#freeAttempts
    if (beyondFree <= 0) return 0
    // 2^30 already exceeds any sensible maximum; capping the exponent keeps the number finite.
    return Math.min(this.#baseDelayMs * 2 ** Math.min(beyondFree - 1, 30), this.#maxDelayMs)
  }

  #sweep(now: number): void {
    for (const [key, state] of this.#keys) {
      if (now - state.lastAttemptAt >= this.#forgetMs) this.#keys.delete(key)
    }
  }
}
