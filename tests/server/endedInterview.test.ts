/**
 * Regression (issue 14 A.4, A.10): ending an interview only stopped candidates. The interviewer's
 * still-open editor kept sending edits, which the server applied, stored and broadcast; the Run
 * button still ran and the language could still be switched — so the "final" code of an ended
 * interview could change after the end. And the end closed the interviewer's own collab socket
 * with 4404, although only candidates are meant to be disconnected. Now an ended interview is
 * read-only for everyone, enforced by the server: through a real server, real y-websocket
 * providers and real socket.io clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { Interview, RoomTicket } from '../../protocol/api.ts'
import { CollabCloseCode, solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import { openInterview, setUpInterviewer, type Api } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

let server: TestServer
let admin: Api
const cleanups: (() => void)[] = []

beforeAll(async () => {
  // Rooms unload as soon as nobody holds them, so "reopened later" really reloads from the store.
  server = await startTestServer({ env: { ROOM_IDLE_MS: '0' } })
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

const path = solutionPath('two-sum', 'javascript')

function openDoc(interviewId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const client = connectDoc(server.url, interviewId, token)
  cleanups.push(() => {
    client.provider.destroy()
    client.doc.destroy()
  })
  return client
}

function fileOf(doc: Y.Doc): Y.Text {
  return doc.getMap('files').get(path) as Y.Text
}

function textOf(doc: Y.Doc): string {
  return fileOf(doc).toJSON()
}

/**
 * Types into `writer`'s document, then moves its cursor; once `watcher` has seen the cursor move,
 * the server has handled the edit before it (one connection's frames are handled in order), so
 * the edit would have reached `watcher` too had the server accepted it.
 */
async function typeAndWait(
  writer: { doc: Y.Doc; provider: WebsocketProvider },
  watcher: { provider: WebsocketProvider },
  text: string,
): Promise<void> {
  fileOf(writer.doc).insert(0, text)
  writer.provider.awareness.setLocalStateField('typed', text)
  const writerId = writer.provider.awareness.clientID
  await waitFor(() => {
    const state = watcher.provider.awareness.getStates().get(writerId) as
      { typed?: string } | undefined
    return state?.typed === text
  }, "the writer's cursor move to reach the watcher")
}

async function enter(interview: Interview): Promise<RoomTicket> {
  const answer = await admin.post<RoomTicket>(`/api/interviews/${interview.id}/enter`)
  expect(answer.status).toBe(200)
  return answer.body
}

describe('an ended interview', () => {
  it('takes no edits, runs or language switches from its interviewer, who stays connected', async () => {
    const { interview, interviewer, candidate } = await openInterview(
      admin,
      'two-sum',
      'javascript',
    )
    const mine = openDoc(interview.id, interviewer.participantToken)
    const colleague = openDoc(interview.id, (await enter(interview)).participantToken)
    const theirs = openDoc(interview.id, candidate.participantToken)
    await Promise.all([mine, colleague, theirs].map((c) => waitForSync(c.provider)))
    const candidateCloses: number[] = []
    theirs.provider.on('connection-close', (event) => {
      if (event !== null) candidateCloses.push(event.code)
    })
    const interviewerCloses: number[] = []
    mine.provider.on('connection-close', (event) => {
      if (event !== null) interviewerCloses.push(event.code)
    })
    // Before the end, edits flow.
    await typeAndWait(mine, colleague, '// live\n')
    expect(textOf(colleague.doc)).toContain('// live')
    const before = textOf(colleague.doc)

    const room = await connectRoom(server.url, interviewer.participantToken)
    cleanups.push(() => room.close())
    const ended = await admin.post<Interview>(`/api/interviews/${interview.id}/end`)
    expect(ended.body.status).toBe('ended')
    await waitFor(() => candidateCloses.length > 0, 'the candidate to be disconnected')
    expect(candidateCloses[0]).toBe(CollabCloseCode.roomClosed)
    await waitFor(() => room.states.some((s) => s.status === 'ended'), 'room:state ended')

    // The interviewer's edit after the end reaches nobody: not the colleague already connected…
    await typeAndWait(mine, colleague, '// after the end\n')
    expect(textOf(colleague.doc)).toBe(before)
    expect(interviewerCloses).toEqual([])
    expect(mine.provider.wsconnected).toBe(true)
    expect(room.socket.connected).toBe(true)

    // …nor the run button nor the language menu.
    const run = await ask<Ack>(room.socket, 'run:start', { mode: 'tests' })
    expect(run).toMatchObject({ ok: false, error: { code: 'interview_ended' } })
    const language = await ask<Ack>(room.socket, 'language:set', { language: 'python' })
    expect(language).toMatchObject({ ok: false, error: { code: 'interview_ended' } })

    // Nor the store: once everyone left and the room unloaded, a reopened room holds the code as
    // it was at the end, and still drops edits (this time the room was made read-only on load).
    for (const client of [mine, colleague]) client.provider.destroy()
    await waitFor(() => !server.tandem.rooms.isLoaded(interview.id), 'the room to unload')
    const reopened = openDoc(interview.id, (await enter(interview)).participantToken)
    const reviewer = openDoc(interview.id, (await enter(interview)).participantToken)
    await Promise.all([reopened, reviewer].map((c) => waitForSync(c.provider)))
    expect(textOf(reviewer.doc)).toBe(before)
    await typeAndWait(reopened, reviewer, '// reopened\n')
    expect(textOf(reviewer.doc)).toBe(before)
    const room2 = await connectRoom(server.url, interviewer.participantToken)
    cleanups.push(() => room2.close())
    expect(room2.states[0]?.language).toBe('javascript')
  })
})
