/**
 * A latency histogram with log-linear buckets (64 per power of two: every value is kept within
 * 1.6 %), mergeable across processes: shards send `toJSON()` and the orchestrator `add`s them.
 * Values are recorded in microseconds; percentiles are reported in milliseconds.
 */

/** Sub-buckets per power of two, as bits. */
const subBits = 6
const subCount = 1 << subBits
/** Values are clamped to 2^31 - 1 µs (35 minutes). */
const maxValue = 0x7fffffff
const bucketCount = (31 - subBits + 1) * subCount

/** What crosses the process boundary. */
export interface HistogramData {
  counts: number[]
  count: number
  sumUs: number
  maxUs: number
}

/** Percentiles in milliseconds. */
export interface LatencySummary {
  samples: number
  meanMs: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

function bucketOf(valueUs: number): number {
  const v = Math.min(maxValue, Math.max(0, Math.round(valueUs)))
  if (v < subCount * 2) return v
  const exponent = 31 - Math.clz32(v)
  const shift = exponent - subBits
  return ((shift + 1) << subBits) + ((v >>> shift) - subCount)
}

/** The middle of a bucket's range, µs. */
function valueOf(bucket: number): number {
  if (bucket < subCount * 2) return bucket
  const shift = (bucket >>> subBits) - 1
  const low = ((bucket & (subCount - 1)) + subCount) << shift
  return low + ((1 << shift) - 1) / 2
}

export class Histogram {
  readonly #counts = new Float64Array(bucketCount)
  #count = 0
  #sumUs = 0
  #maxUs = 0

  get count(): number {
    return this.#count
  }

  record(valueUs: number): void {
    const bucket = bucketOf(valueUs)
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1
    this.#count++
    this.#sumUs += valueUs
    if (valueUs > this.#maxUs) this.#maxUs = valueUs
  }

  add(data: HistogramData): void {
    data.counts.forEach((n, i) => (this.#counts[i] = (this.#counts[i] ?? 0) + n))
    this.#count += data.count
    this.#sumUs += data.sumUs
    this.#maxUs = Math.max(this.#maxUs, data.maxUs)
  }

  /** The value at quantile `q` (0..1), µs; the exact maximum for q = 1. */
  quantileUs(q: number): number {
    if (this.#count === 0) return 0
    if (q >= 1) return this.#maxUs
    const rank = Math.ceil(q * this.#count)
    let seen = 0
    for (let i = 0; i < bucketCount; i++) {
      seen += this.#counts[i] ?? 0
      if (seen >= rank) return Math.min(valueOf(i), this.#maxUs)
    }
    return this.#maxUs
  }

  summary(): LatencySummary {
    const ms = (us: number): number => Math.round(us) / 1000
    return {
      samples: this.#count,
      meanMs: ms(this.#count === 0 ? 0 : this.#sumUs / this.#count),
      p50Ms: ms(this.quantileUs(0.5)),
      p90Ms: ms(this.quantileUs(0.9)),
      p99Ms: ms(this.quantileUs(0.99)),
      maxMs: ms(this.#maxUs),
    }
  }

  toJSON(): HistogramData {
    // Sparse buckets would save bytes, but a few KB per window is nothing.
    return { counts: [...this.#counts], count: this.#count, sumUs: this.#sumUs, maxUs: this.#maxUs }
  }
}
