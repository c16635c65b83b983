/**
 * The import directions that `npm run lint` enforces (eslint.config.js, importDirections): the
 * repository's own ESLint configuration lints fixture sources placed, by file path, in each
 * folder. Type information is switched off (tseslint's disableTypeChecked) because the fixtures
 * exist only in memory; the import rules do not use types.
 */
import { ESLint } from 'eslint'
import { fileURLToPath } from 'node:url'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked })

/** The import-direction messages for `code` as if it were the file at `filePath`. */
async function restrictions(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  if (result === undefined) throw new Error(`ESLint returned nothing for ${filePath}`)
  const fatal = result.messages.find((m) => m.fatal === true)
  if (fatal !== undefined) throw new Error(`${filePath}: ${fatal.message}`)
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

// [file, import statement, part of the message it must fail with]
const forbidden: [string, string, string][] = [
  ['protocol/fixture.ts', "import { x } from '../server/errors.ts'", 'protocol/ is the leaf'],
  ['protocol/fixture.ts', "import type { X } from '../sandbox/ipc.ts'", 'protocol/ is the leaf'],
  ['web/src/room/fixture.tsx', "import { x } from '../../../server/errors.ts'", 'web/ imports'],
  ['web/src/room/fixture.ts', "import type { X } from '../../../sandbox/ipc.ts'", 'web/ imports'],
  ['web/vite.config.ts', "import { x } from '../bench/web.ts'", 'web/ imports'],
  ['sandbox/box/fixture.ts', "import { x } from '../../server/logger.ts'", 'sandbox/ imports'],
  ['sandbox/fixture.ts', "import { x } from '../tests/box/boxTestKit.ts'", 'sandbox/ imports'],
  ['server/challenges/fixture.ts', "import { x } from '../../sandbox/judge.ts'", 'public face'],
  ['server/runner/fixture.ts', "export * from '../../sandbox/ipc.ts'", 'public face'],
  ['server/fixture.ts', "import { x } from '../sandbox/languages/index.ts'", 'public face'],
  ['server/runs/fixture.ts', "import { x } from '../../web/src/run/runReducer.ts'", 'server/'],
  ['server/runs/fixture.ts', "import express from 'express'", 'speak a transport'],
  ['server/interviews/fixture.ts', "import { Server } from 'socket.io'", 'speak a transport'],
  ['server/collab/Room.ts', "import { WebSocket } from 'ws'", 'speak a transport'],
  ['server/runs/fixture.ts', "import { x } from '../realtime/Realtime.ts'", 'never import'],
  ['server/auth/fixture.ts', "import type { X } from '../http/cookies.ts'", 'never import'],
  ['server/store/fixture.ts', "import { x } from '../errors.ts'", 'store/ imports'],
  ['server/store/fixture.ts', "import { x } from '../collab/origins.ts'", 'store/ imports'],
  ['server/store/fixture.ts', "import { x } from '../../protocol/run.ts'", 'types only'],
  ['server/store/fixture.ts', "import { WebSocket } from 'ws'", 'speak a transport'],
  // Dynamic imports, which no-restricted-imports does not see.
  ['web/src/room/fixture.ts', "await import('../../../server/errors.ts')", 'web/ imports'],
  ['server/runner/fixture.ts', "await import('../../sandbox/main.ts')", 'public face'],
  ['server/runs/fixture.ts', "await import('ws')", 'speak a transport'],
  ['server/store/fixture.ts', "await import('../../protocol/run.ts')", 'types only'],
]

const allowed: [string, string][] = [
  ['protocol/fixture.ts', "import { z } from 'zod'\nimport { x } from './languages.ts'"],
  [
    'web/src/room/fixture.tsx',
    "import { x } from '../../../protocol/api.ts'\nimport { y } from '../run/z.ts'",
  ],
  ['web/src/room/fixture.ts', "import { io } from 'socket.io-client'"],
  [
    'sandbox/box/fixture.ts',
    "import { x } from '../../protocol/run.ts'\nimport { y } from '../judge.ts'",
  ],
  ['server/challenges/fixture.ts', "import { x } from '../../sandbox/index.ts'"],
  [
    'server/fixture.ts',
    "import { x } from '../sandbox/index.ts'\nimport { y } from './http/createApp.ts'",
  ],
  [
    'server/http/fixture.ts',
    "import express from 'express'\nimport { x } from '../auth/AuthService.ts'",
  ],
  [
    'server/realtime/fixture.ts',
    "import { Server } from 'socket.io'\nimport { x } from '../runs/RunService.ts'",
  ],
  ['server/collab/attachCollab.ts', "import { WebSocketServer } from 'ws'"],
  ['web/src/room/fixture.ts', "await import('./RoomScreen.tsx')"],
  ['server/runner/fixture.ts', "await import('../../sandbox/index.ts')"],
  [
    'server/runs/fixture.ts',
    "import { x } from '../challenges/ChallengeCatalog.ts'\nimport { y } from '../../protocol/run.ts'",
  ],
  [
    'server/store/fixture.ts',
    "import type { X } from '../../protocol/run.ts'\nimport { y } from './Store.ts'\nimport { z } from '../ids.ts'",
  ],
]

describe('import directions', () => {
  it.each(forbidden)('refuses in %s: %s', async (file, code, reason) => {
    const messages = await restrictions(file, `${code}\n`)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(reason)
  })

  it.each(allowed)('allows in %s: %s', async (file, code) => {
    expect(await restrictions(file, `${code}\n`)).toEqual([])
  })
})
