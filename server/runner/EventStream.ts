/**
 * A single-consumer async iterable fed by `push`: events are buffered until read, `end` finishes
 * the iteration once the buffer is drained, and a consumer that leaves the loop early triggers
 * `onAbandon` (LocalRunner cancels the run).
 */
export class EventStream<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = []
  private readonly onAbandon: () => void
  private waiting: ((result: IteratorResult<T, undefined>) => void) | undefined
  private ended = false
  private iterated = false

  constructor(onAbandon: () => void = () => {}) {
    this.onAbandon = onAbandon
  }

  push(value: T): void {
    if (this.ended) return
    const waiting = this.waiting
    if (waiting !== undefined) {
      this.waiting = undefined
      waiting({ value, done: false })
    } else {
      this.buffer.push(value)
    }
  }

  end(): void {
    if (this.ended) return
    this.ended = true
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    if (this.iterated) throw new Error('An event stream can be read only once')
    this.iterated = true
    return {
      next: () => {
        const value = this.buffer.shift()
        if (value !== undefined) return Promise.resolve({ value, done: false })
        if (this.ended) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => {
          this.waiting = resolve
        })
      },
      return: () => {
        const abandoned = !this.ended
        this.ended = true
        this.buffer.length = 0
        if (abandoned) this.onAbandon()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }
}
