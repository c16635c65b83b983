import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Sandbox and browser tests start real processes; two cores do not go further than this.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
    // expect.poll waits for a state a user would see (text synced to the other window, a button
    // enabled), like tests/helpers/waitFor.ts: its timeout bounds how long a broken build takes
    // to fail, it is not a timing assertion. Vitest's default (1 s) made browser tests fail
    // whenever the two cores were busy with other builds.
    expect: { poll: { timeout: 20_000, interval: 50 } },
  },
})
