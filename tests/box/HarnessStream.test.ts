/**
 * The host's reader of the function-style harness protocol: console bytes and frames, however
 * the pipe happens to cut them into chunks.
 */
import { describe, expect, it } from 'vitest'
import { HarnessStream, type HarnessEvent } from '../../sandbox/box/HarnessStream.ts'

const nonce = '0123456789abcdef'
const frame = (body: string): string => `\x1e${nonce}${body}\n`

/** Feeds `text` cut at the given offsets, then ends; merges adjacent console events. */
function read(text: string, cuts: number[] = []): (string | HarnessEvent)[] {
  const stream = new HarnessStream(nonce, 1 << 20)
  const bytes = Buffer.from(text)
  const events: HarnessEvent[] = []
  let start = 0
  for (const cut of [...cuts, bytes.length]) {
    events.push(...stream.push(bytes.subarray(start, cut)))
    start = cut
  }
  events.push(...stream.end())
  const merged: (string | HarnessEvent)[] = []
  for (const event of events) {
    const last = merged[merged.length - 1]
    if (event.type === 'console' && typeof last === 'string')
      merged[merged.length - 1] = last + event.bytes.toString()
    else merged.push(event.type === 'console' ? event.bytes.toString() : event)
  }
  return merged
}

describe('harness stream', () => {
  const text = `hello ${frame('S0')}printed\n${frame('R0 [1,2]')}${frame('E1 {"message":"x"}')}tail`
  const expected = [
    'hello ',
    { type: 'frame', frame: { kind: 'start', index: 0 } },
    'printed\n',
    { type: 'frame', frame: { kind: 'result', index: 0, json: '[1,2]' } },
    { type: 'frame', frame: { kind: 'error', index: 1, json: '{"message":"x"}' } },
    'tail',
  ]

  it('separates console output from frames', () => {
    expect(read(text)).toEqual(expected)
  })

  it('reads the same events wherever the chunks are cut', () => {
    for (let cut = 1; cut < Buffer.byteLength(text); cut++)
      expect(read(text, [cut])).toEqual(expected)
  })

  it('keeps a record separator that is not followed by the nonce as console output', () => {
    expect(read('a\x1eR0 [0,1]\nb')).toEqual(['a\x1eR0 [0,1]\nb'])
  })

  it('reports a frame with the nonce but an unknown shape as garbage', () => {
    expect(read(frame('X9'))).toEqual([{ type: 'garbage', text: 'X9' }])
    expect(read(frame('S'))).toEqual([{ type: 'garbage', text: 'S' }])
  })

  it('gives up on a frame larger than the limit', () => {
    const stream = new HarnessStream(nonce, 100)
    const events = stream.push(Buffer.from(`\x1e${nonce}R0 ${'9'.repeat(200)}`))
    expect(events).toEqual([{ type: 'oversized', maxBytes: 100 }])
  })

  it('reads a frame fed in many chunks, and drops an oversized one up to its newline only', () => {
    // A big result frame arrives in pipe-sized chunks; its body was once concatenated with
    // every chunk and searched from the start again: quadratic on the sandbox's main thread.
    expect(read(text, [9, 10, 11, 30, 31, 32, 33])).toEqual(expected)
    const stream = new HarnessStream(nonce, 100)
    const events = [
      ...stream.push(Buffer.from(`\x1e${nonce}R0 [`)),
      ...Array.from({ length: 50 }, () => stream.push(Buffer.from('1,'.repeat(10)))).flat(),
      ...stream.push(Buffer.from(`1]\n${frame('D')}`)),
    ]
    expect(events).toEqual([
      { type: 'oversized', maxBytes: 100 },
      { type: 'frame', frame: { kind: 'done' } },
    ])
  })
})
