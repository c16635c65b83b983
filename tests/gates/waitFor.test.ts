/**
 * The one wait-for helper (tests/helpers/waitFor.ts) every test uses: it waits for sync and
 * async conditions, and a wait that never ends fails naming what it waited for.
 */
import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/waitFor.ts'

describe('waitFor', () => {
  it('resolves once a condition that was false holds', async () => {
    let checks = 0
    await waitFor(() => ++checks >= 3, 'the third check')
    expect(checks).toBe(3)
  })

  it('awaits an async condition before checking again', async () => {
    let inFlight = 0
    let checks = 0
    await waitFor(async () => {
      inFlight++
      expect(inFlight).toBe(1)
      await Promise.resolve()
      inFlight--
      return ++checks >= 2
    }, 'the second async check')
    expect(checks).toBe(2)
  })

  it('fails naming what it waited for', async () => {
    await expect(waitFor(() => false, 'the moon', { timeoutMs: 100 })).rejects.toThrow(
      'Timed out waiting for: the moon',
    )
  })
})
