/**
 * When a simulated person presses the next key: bursts of keystrokes at typing speed separated by
 * pauses, averaging `charsPerSecond` exactly over every burst. Seeded, so a run is reproducible.
 */

export interface TypingPace {
  /** Average keystrokes per second, bursts and pauses included. */
  charsPerSecond: number
  /** Keystrokes per burst, inclusive range. */
  burst: readonly [number, number]
  /** Time between keystrokes inside a burst, ms, inclusive range. */
  gapMs: readonly [number, number]
}

/** A candidate writing code: ~10 chars/s in bursts of 4–20, 5 chars/s on average. */
export const candidatePace: TypingPace = { charsPerSecond: 5, burst: [4, 20], gapMs: [60, 140] }

/** An interviewer leaving a note now and then: 0.5 chars/s on average. */
export const interviewerPace: TypingPace = {
  charsPerSecond: 0.5,
  burst: [1, 4],
  gapMs: [100, 250],
}

/** mulberry32: a small, fast, seeded PRNG returning [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Typist {
  readonly #pace: TypingPace
  readonly #random: () => number
  /** Keystrokes left in the current burst after the next one. */
  #left = 0
  /** What remains of the current burst's share of time, ms. */
  #budgetMs: number

  /** `startSpreadMs`: the first keystroke comes after a random delay up to this, to desync rooms. */
  constructor(pace: TypingPace, random: () => number, startSpreadMs = 2000) {
    this.#pace = pace
    this.#random = random
    this.#budgetMs = random() * startSpreadMs
  }

  /** Milliseconds from the previous keystroke (or the start) to the next one. */
  nextDelayMs(): number {
    const [gapMin, gapMax] = this.#pace.gapMs
    if (this.#left > 0) {
      const gap = gapMin + this.#random() * (gapMax - gapMin)
      this.#left--
      this.#budgetMs -= gap
      return gap
    }
    // The burst is over: wait out the rest of its share, then start the next one.
    const wait = Math.max(this.#budgetMs, 0)
    const [burstMin, burstMax] = this.#pace.burst
    const keys = burstMin + Math.floor(this.#random() * (burstMax - burstMin + 1))
    this.#left = keys - 1
    this.#budgetMs = (keys * 1000) / this.#pace.charsPerSecond
    return wait
  }
}
