/**
 * A run takes the solution's folder (issue 14 B.4): a file the candidate adds beside the solution
 * in the shared document (here through y-websocket's provider, as the editor would) is part of the
 * next run, in an isolate and in a box; a file outside that folder is not. Through a real server,
 * its real sandbox processes and socket.io-client.
 */
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ack } from '../../protocol/errors.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { RunEvent } from '../../protocol/run.ts'
import { docFilesKey, solutionPath } from '../../protocol/collab.ts'
import { openInterview, setUpInterviewer, type Api } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  admin = (await setUpInterviewer(server.url)).api
}, 120_000)

afterAll(async () => {
  await server.cleanup()
})

/**
 * Opens an interview in `language`, writes `files` (path → content, the solution among them) into
 * the document as the candidate, and runs the tests: the run's events.
 */
async function runWithFiles(
  language: LanguageId,
  files: Record<string, string>,
): Promise<RunEvent[]> {
  const { interview, candidate } = await openInterview(admin, 'two-sum', language)
  const token = candidate.participantToken
  const { doc, provider } = connectDoc(server.url, interview.id, token)
  const client = await connectRoom(server.url, token)
  try {
    await waitForSync(provider)
    const map = doc.getMap(docFilesKey)
    doc.transact(() => {
      for (const [path, content] of Object.entries(files)) {
        const existing = map.get(path)
        const text = existing instanceof Y.Text ? existing : new Y.Text()
        if (!(existing instanceof Y.Text)) map.set(path, text)
        text.delete(0, text.length)
        text.insert(0, content)
      }
    })
    // The server has the files once a second client sees them.
    const observer = connectDoc(server.url, interview.id, token)
    await waitForSync(observer.provider)
    await waitFor(
      () =>
        Object.entries(files).every(
          ([path, content]) => observer.doc.getMap(docFilesKey).get(path)?.toString() === content,
        ),
      'the files to reach the server',
    )
    observer.provider.destroy()
    const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
    if (!ack.ok) throw new Error(`run:start: ${ack.error.message}`)
    return await client.runEvents(ack.runId)
  } finally {
    client.close()
    provider.destroy()
  }
}

function exitOf(events: RunEvent[]): { verdict: string; message: string } {
  const exit = events.find((event) => event.type === 'exit')
  if (exit?.type !== 'exit') throw new Error('no exit')
  return { verdict: exit.summary.verdict, message: exit.summary.message }
}

const pairsJs = `exports.findPair = (nums, target) => {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i]
    seen.set(nums[i], i)
  }
  return []
}
`

describe('a file the candidate adds beside the solution', () => {
  it('is there for a JavaScript run to require', async () => {
    const events = await runWithFiles('javascript', {
      [solutionPath('two-sum', 'javascript')]:
        "const { findPair } = require('./lib/pairs')\nfunction twoSum(nums, target) { return findPair(nums, target) }\n",
      'two-sum/lib/pairs.js': pairsJs,
    })
    expect(exitOf(events)).toEqual({ verdict: 'passed', message: 'All 6 tests passed' })
  })

  it('is there for a Python run to import', async () => {
    const events = await runWithFiles('python', {
      [solutionPath('two-sum', 'python')]:
        'from pairs import find_pair\n\n\ndef two_sum(nums, target):\n    return find_pair(nums, target)\n',
      'two-sum/pairs.py':
        'def find_pair(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n    return []\n',
    })
    expect(exitOf(events)).toEqual({ verdict: 'passed', message: 'All 6 tests passed' })
  })

  it('outside the solution’s folder is not part of the run', async () => {
    const events = await runWithFiles('javascript', {
      [solutionPath('two-sum', 'javascript')]:
        "function twoSum(nums, target) { return require('../elsewhere/pairs').findPair(nums, target) }\n",
      'elsewhere/pairs.js': pairsJs,
    })
    const first = events.find((event) => event.type === 'test')
    expect(first?.type === 'test' ? first.result.verdict : undefined).toBe('runtime_error')
    expect(first?.type === 'test' ? first.result.error?.message : undefined).toContain(
      "Cannot find module '../elsewhere/pairs'",
    )
  })
})
