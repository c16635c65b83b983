import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { AwarenessState } from '../../protocol/collab.ts'
import { participantColor } from '../../protocol/participantColor.ts'
import { connectRaw, whenEditable, collabScope } from './collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const { defer, provider, setup } = collabScope()

const stateOf = (observer: WebsocketProvider, clientId: number): AwarenessState | undefined =>
  observer.awareness.getStates().get(clientId) as AwarenessState | undefined

describe('collaboration awareness', () => {
  it('overwrites a forged user with the identity the server knows', async () => {
    const { harness, fixture } = await setup()
    const interviewer = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const candidate = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(interviewer)
    await whenEditable(candidate)

    candidate.awareness.setLocalStateField('user', {
      name: 'Ada Interviewer',
      color: '#000000',
      role: 'interviewer',
    })
    candidate.awareness.setLocalStateField('selection', { anchor: 1, head: 2 })
    await waitFor(
      () => stateOf(interviewer, candidate.doc.clientID)?.selection !== undefined,
      'interviewer sees the candidate',
    )
    const seen = stateOf(interviewer, candidate.doc.clientID)
    expect(seen?.user.name).toBe('Cam Candidate')
    expect(seen?.user.role).toBe('candidate')
    const participants = await harness.store.participants.listForInterview(fixture.interviewId)
    const candidateId = participants.find((p) => p.role === 'candidate')?.id ?? ''
    expect(seen?.user.color).toBe(participantColor(candidateId))
  })

  it("removes a peer's state for the others when its connection closes", async () => {
    const { harness, fixture } = await setup()
    const stays = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const leaves = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(stays)
    await whenEditable(leaves)
    leaves.awareness.setLocalStateField('selection', { anchor: 0, head: 0 })
    const leavingId = leaves.doc.clientID
    await waitFor(() => stateOf(stays, leavingId) !== undefined, 'state arrives')

    // Cut the socket without the provider saying goodbye, as a closed laptop would.
    leaves.ws?.close()
    leaves.shouldConnect = false
    await waitFor(() => stateOf(stays, leavingId) === undefined, 'state removed')
    await harness.manager.withRoom(fixture.interviewId, (room) => {
      expect(room.awarenessStates().has(leavingId)).toBe(false)
    })
  })

  it("ignores another participant's attempt to change or remove someone's cursor", async () => {
    const { harness, fixture } = await setup()
    const victim = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const observer = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    await whenEditable(victim)
    await whenEditable(observer)
    victim.awareness.setLocalStateField('selection', { anchor: 3, head: 3 })
    const victimId = victim.doc.clientID
    await waitFor(() => stateOf(observer, victimId)?.selection !== undefined, 'victim visible')

    const attacker = connectRaw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    defer(() => attacker.ws.terminate())
    await attacker.opened
    const forged = (state: string): Uint8Array => {
      const payload = encoding.createEncoder()
      encoding.writeVarUint(payload, 1)
      encoding.writeVarUint(payload, victimId)
      encoding.writeVarUint(payload, 1_000_000)
      encoding.writeVarString(payload, state)
      const frame = encoding.createEncoder()
      encoding.writeVarUint(frame, 1)
      encoding.writeVarUint8Array(frame, encoding.toUint8Array(payload))
      return encoding.toUint8Array(frame)
    }
    attacker.send(forged(JSON.stringify({ selection: 'hijacked' })))
    attacker.send(forged('null'))
    // The victim's next move still shows, and nothing the attacker sent did.
    victim.awareness.setLocalStateField('selection', { anchor: 4, head: 4 })
    await waitFor(
      () => JSON.stringify(stateOf(observer, victimId)?.selection) === '{"anchor":4,"head":4}',
      'victim moved',
    )
    expect(stateOf(observer, victimId)?.user.name).toBe('Ada Interviewer')
  })
})
