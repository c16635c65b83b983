import * as Y from 'yjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import { Api, openInterview, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer | undefined
afterAll(() => server?.cleanup())

describe('a server restart', () => {
  it('keeps the document, the runs and the accounts, and clients resync without duplicates', async () => {
    server = await startTestServer()
    const { api } = await setUpInterviewer(server.url)
    const { interview, candidate, interviewer } = await openInterview(api)
    const path = solutionPath('two-sum', 'javascript')

    const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
    await waitForSync(provider)
    const files = doc.getMap<Y.Text>('files')
    await waitFor(() => files.has(path), `the starter ${path}`)
    const text = files.get(path)
    if (text === undefined) throw new Error('no file')
    text.insert(text.length, '\n// typed before the restart\n')
    const before = text.toJSON()
    const client = await connectRoom(server.url, interviewer.participantToken)
    const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
    await client.runEvents(ack.ok ? ack.runId : '')
    client.close()

    // Stop (flushes on shutdown) and start again on the same data.
    await server.close()
    server = await startTestServer({ dataDir: server.dataDir })
    // The new server listens on a new port (port 0), so clients connect afresh.
    provider.destroy()
    const again = connectDoc(server.url, interview.id, candidate.participantToken)
    await waitForSync(again.provider)
    await waitFor(() => again.doc.getMap('files').has(path), `${path} after the restart`)
    expect(again.doc.getMap('files').get(path)?.toString()).toBe(before)

    // A client that kept its document from before resyncs with no duplicated text.
    const stale = connectDoc(server.url, interview.id, candidate.participantToken)
    const staleFiles = stale.doc.getMap('files')
    Y.applyUpdate(stale.doc, Y.encodeStateAsUpdate(doc))
    await waitForSync(stale.provider)
    expect(staleFiles.get(path)?.toString()).toBe(before)
    expect(before.match(/function twoSum/g)).toHaveLength(1)

    const relogin = new Api(server.url)
    expect(
      (await relogin.post('/api/auth/login', { email: 'ada@example.com', password: testPassword }))
        .status,
    ).toBe(200)
    const runs = await relogin.get<RunRecord[]>(`/api/interviews/${interview.id}/runs`)
    expect(runs.body).toHaveLength(1)
    expect(runs.body[0]?.events.at(-1)?.type).toBe('exit')

    again.provider.destroy()
    stale.provider.destroy()
    doc.destroy()
  })
})
