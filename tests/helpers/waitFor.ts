/**
 * The one way tests wait for something to become true (no fixed sleeps, no hand-written polling
 * loops): vi.waitFor, checking `condition` every 20 ms until it holds. `what` names the awaited
 * state in the failure. The timeout is not a timing assertion; it only bounds how long a broken
 * build takes to fail, and stays inside vitest's 30 s test timeout.
 */
import { vi } from 'vitest'

export interface WaitForOptions {
  /** Give up after this long, ms. Default 20 000. */
  timeoutMs?: number
}

/** Resolves once `condition` (sync or async) holds; rejects naming `what` after the timeout. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: WaitForOptions = {},
): Promise<void> {
  const check = (holds: boolean): void => {
    if (!holds) throw new Error(`Timed out waiting for: ${what}`)
  }
  await vi.waitFor(
    () => {
      const holds = condition()
      // A synchronous condition is checked at once; an async one is awaited before the next try.
      return typeof holds === 'boolean' ? check(holds) : holds.then(check)
    },
    { timeout: options.timeoutMs ?? 20_000, interval: 20 },
  )
}
