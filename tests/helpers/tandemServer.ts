/**
 * A real Tandem server for tests: port 0, a temporary data directory, the real sandbox process,
 * quiet logs. `close()` stops it; `cleanup()` also deletes its data.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../server/config.ts'
import { startTandem, type Tandem } from '../../server/Tandem.ts'

export interface TestServer {
  tandem: Tandem
  url: string
  dataDir: string
  /** Stops the server, keeping its data (for restart tests). */
  close(): Promise<void>
  /** Stops the server and deletes its data directory. */
  cleanup(): Promise<void>
}

export interface TestServerOptions {
  dataDir?: string
  env?: Record<string, string>
  /**
   * The clock the server stamps its timeline with (updates, joins, checkpoints, runs), Unix ms:
   * a test scripts a session at known times by moving it (it must never run backwards).
   */
  now?: () => number
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tandem-test-'))
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ROOM_IDLE_MS: '2000',
    DOC_FLUSH_MS: '50',
    // Each test server would build every prebuild at start; the suite's many servers on two
    // cores cannot afford that. tests/box/warmAtStart.test.ts proves the setting.
    SANDBOX_WARM: '0',
    ...options.env,
  })
  const tandem = await startTandem({
    config,
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  return {
    tandem,
    url: tandem.url,
    dataDir,
    close: () => tandem.close(),
    cleanup: async () => {
      await tandem.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
