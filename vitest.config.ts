import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Sandbox and browser tests start real processes; two cores do not go further than this.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
})
