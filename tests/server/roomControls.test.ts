/**
 * The interviewer's controls over a live room (issue 14 B.2): locking the editor, turning the
 * candidate's runs off, removing a participant. The access matrix proves what each state allows
 * for somebody who arrives in it; this proves that connections already open obey the change at
 * once, that the room is told, and that a removed token stays refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import type { ApiErrorBody, ErrorPayload } from '../../protocol/errors.ts'
import type { ParticipantEntry } from '../../protocol/api.ts'
import { CollabCloseCode, solutionPath } from '../../protocol/collab.ts'
import type { RoomNotice } from '../../protocol/realtime.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import {
  connectDoc,
  connectRoom,
  refusedRoom,
  waitForSync,
  type RecordingClient,
} from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

let server: TestServer
let api: Api
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer()
  ;({ api } = await setUpInterviewer(server.url))
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

const file = solutionPath('two-sum', 'javascript')
const textOf = (doc: Y.Doc): string => (doc.getMap('files').get(file) as Y.Text).toJSON()

/** A live two-sum room with both sides on collab and socket.io. */
async function room() {
  const opened = await openInterview(api, 'two-sum', 'javascript')
  const open = (token: string) => {
    const doc = connectDoc(server.url, opened.interview.id, token)
    cleanups.push(() => doc.provider.destroy())
    return doc
  }
  const interviewerDoc = open(opened.interviewer.participantToken)
  const candidateDoc = open(opened.candidate.participantToken)
  await Promise.all([waitForSync(interviewerDoc.provider), waitForSync(candidateDoc.provider)])
  const interviewerRoom = await connectRoom(server.url, opened.interviewer.participantToken)
  const candidateRoom = await connectRoom(server.url, opened.candidate.participantToken)
  cleanups.push(
    () => interviewerRoom.close(),
    () => candidateRoom.close(),
  )
  return { ...opened, interviewerDoc, candidateDoc, interviewerRoom, candidateRoom }
}

function noticesOf(client: RecordingClient): RoomNotice[] {
  const notices: RoomNotice[] = []
  client.socket.on('room:notice', (notice) => notices.push(notice))
  return notices
}

/**
 * Types `marker` on `from`, then moves its cursor; once `watcher` sees the cursor the server has
 * handled the edit, so the text tells whether it was applied.
 */
async function edit(
  from: ReturnType<typeof connectDoc>,
  watcher: ReturnType<typeof connectDoc>,
  marker: string,
): Promise<boolean> {
  ;(from.doc.getMap('files').get(file) as Y.Text).insert(0, marker)
  from.provider.awareness.setLocalStateField('marker', marker)
  const id = from.provider.awareness.clientID
  await waitFor(
    () =>
      (watcher.provider.awareness.getStates().get(id) as { marker?: string } | undefined)
        ?.marker === marker,
    `the cursor move after ${JSON.stringify(marker)}`,
  )
  return textOf(watcher.doc).includes(marker)
}

describe('locking the editor', () => {
  it("drops the connected candidate's edits from the lock on, keeps the interviewer's, and lifts with unlock", async () => {
    const r = await room()
    // A second tab of the candidate's that, like the web client, does not type under the lock.
    const secondTab = connectDoc(server.url, r.interview.id, r.candidate.participantToken)
    cleanups.push(() => secondTab.provider.destroy())
    await waitForSync(secondTab.provider)
    const notices = noticesOf(r.candidateRoom)
    expect(await edit(r.candidateDoc, r.interviewerDoc, '// before the lock\n')).toBe(true)

    const locked = await api.post(`/api/interviews/${r.interview.id}/lock`, { locked: true })
    expect(locked.body).toMatchObject({ locked: true, runsDisabled: false })
    await waitFor(() => r.candidateRoom.states.at(-1)?.locked === true, 'room:state locked')
    expect(notices).toEqual([{ type: 'locked', locked: true, by: 'Ada Lovelace' }])

    expect(await edit(r.candidateDoc, r.interviewerDoc, '// under the lock\n')).toBe(false)
    expect(await edit(r.interviewerDoc, secondTab, '// the interviewer edits\n')).toBe(true)
    // The candidate's socket stayed open: a closed provider would resend the edit forever.
    expect(r.candidateDoc.provider.wsconnected).toBe(true)

    await api.post(`/api/interviews/${r.interview.id}/lock`, { locked: false })
    await waitFor(() => r.candidateRoom.states.at(-1)?.locked === false, 'room:state unlocked')
    expect(await edit(secondTab, r.interviewerDoc, '// after the unlock\n')).toBe(true)
    expect(textOf(r.interviewerDoc.doc)).not.toContain('under the lock')
  })

  it('refuses a lock body that is not a boolean, and changes nothing', async () => {
    const r = await room()
    const answer = await api.post<ApiErrorBody>(`/api/interviews/${r.interview.id}/lock`, {
      locked: 'yes',
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.code).toBe('bad_request')
    expect(
      (await api.get<{ locked: boolean }>(`/api/interviews/${r.interview.id}`)).body.locked,
    ).toBe(false)
  })
})

describe("turning the candidate's runs off", () => {
  it('refuses their run with runs_disabled while the interviewer still runs, and tells the room', async () => {
    const r = await room()
    const notices = noticesOf(r.interviewerRoom)
    await api.post(`/api/interviews/${r.interview.id}/runs-enabled`, { enabled: false })
    await waitFor(() => r.candidateRoom.states.at(-1)?.runsDisabled === true, 'runsDisabled')
    expect(notices).toEqual([{ type: 'runsEnabled', enabled: false, by: 'Ada Lovelace' }])

    const refused = await r.candidateRoom.socket.emitWithAck('run:start', { mode: 'tests' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'runs_disabled' } })
    const run = await r.interviewerRoom.socket.emitWithAck('run:start', { mode: 'tests' })
    if (!run.ok) throw new Error(run.error.message)
    // The candidate still watches the interviewer's run.
    await r.candidateRoom.runEvents(run.runId)

    await api.post(`/api/interviews/${r.interview.id}/runs-enabled`, { enabled: true })
    const again = await r.candidateRoom.socket.emitWithAck('run:start', { mode: 'tests' })
    if (!again.ok) throw new Error(again.error.message)
    await r.candidateRoom.runEvents(again.runId)
  })
})

describe('removing a participant', () => {
  it('closes their collab (4401) and socket.io connections at once and refuses their token on every channel', async () => {
    const r = await room()
    const notices = noticesOf(r.interviewerRoom)
    const roomErrors: ErrorPayload[] = []
    r.candidateRoom.socket.on('room:error', (error) => roomErrors.push(error))
    let closeCode: number | undefined
    r.candidateDoc.provider.on('connection-close', (event: CloseEvent | null) => {
      closeCode ??= event?.code
    })
    const { participantId } = r.candidate.participant

    const removed = await api.request(
      'DELETE',
      `/api/interviews/${r.interview.id}/participants/${participantId}`,
    )
    expect(removed.status).toBe(204)
    await waitFor(() => closeCode !== undefined, 'the collab close')
    expect(closeCode).toBe(CollabCloseCode.unauthorized)
    await waitFor(() => !r.candidateRoom.socket.connected, 'the socket.io disconnect')
    expect(roomErrors.map((e) => e.code)).toEqual(['participant_removed'])
    await waitFor(() => notices.length > 0, 'the notice')
    expect(notices).toEqual([
      {
        type: 'participantRemoved',
        participantId,
        name: r.candidate.participant.name,
        by: 'Ada Lovelace',
      },
    ])

    // Thereafter: the handshake, the REST room and the collab upgrade all refuse the token.
    const handshake = await refusedRoom(server.url, r.candidate.participantToken)
    expect((handshake.data as ErrorPayload).code).toBe('participant_removed')
    const rest = await new Api(server.url, {
      bearer: r.candidate.participantToken,
    }).get<ApiErrorBody>('/api/room')
    expect(rest.body.error.code).toBe('participant_removed')
    // The interviewer stays connected, and sees who was removed.
    expect(r.interviewerRoom.socket.connected).toBe(true)
    expect(r.interviewerDoc.provider.wsconnected).toBe(true)
    const list = await api.get<ParticipantEntry[]>(`/api/interviews/${r.interview.id}/participants`)
    expect(list.body.find((p) => p.participantId === participantId)?.removedAt).not.toBeNull()
  })

  it('refuses to remove an interviewer or somebody of another interview', async () => {
    const r = await room()
    const other = await openInterview(api, 'two-sum', 'javascript')
    const interviewer = await api.request<ApiErrorBody>(
      'DELETE',
      `/api/interviews/${r.interview.id}/participants/${r.interviewer.participant.participantId}`,
    )
    expect(interviewer.body.error.code).toBe('bad_request')
    const elsewhere = await api.request<ApiErrorBody>(
      'DELETE',
      `/api/interviews/${r.interview.id}/participants/${other.candidate.participant.participantId}`,
    )
    expect(elsewhere.body.error.code).toBe('not_found')
    expect(r.candidateRoom.socket.connected).toBe(true)
  })
})
