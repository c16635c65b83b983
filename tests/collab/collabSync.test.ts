import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  fileText,
  connectRaw,
  readText,
  seededRandom,
  syncKind,
  updateFrame,
  whenEditable,
  collabScope,
} from './collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const { defer, provider, setup } = collabScope()

describe('collaboration sync', () => {
  it('converges two providers after interleaved edits, a disconnect and a reconnect, and gives a latecomer the full text', async () => {
    const { harness, fixture } = await setup()
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const textA = await whenEditable(a)
    const textB = await whenEditable(b)

    textA.insert(0, 'function add(a, b) {\n}\n')
    await waitFor(() => readText(b.doc) === textA.toJSON(), 'b sees a')
    textB.insert(textB.length - 2, '  return a + b\n')
    textA.insert(0, '// sum\n')
    await waitFor(() => readText(a.doc) === readText(b.doc) && textA.length > 30, 'interleaved')

    // B goes offline, both keep typing, B comes back.
    b.disconnect()
    textB.insert(0, '/* offline */ ')
    textA.insert(textA.length, 'export { add }\n')
    b.connect()
    await waitFor(() => readText(a.doc) === readText(b.doc), 'converged after reconnect')
    const final = readText(a.doc)
    expect(final).toContain('/* offline */ ')
    expect(final).toContain('export { add }')
    expect(final).toContain('return a + b')

    const c = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(c)
    await waitFor(() => readText(c.doc) === final, 'latecomer has the full text')
    const onServer = await harness.manager.withRoom(fixture.interviewId, (room) =>
      room.readFile('main.js'),
    )
    expect(onServer).toBe(final)
  })

  it('converges N clients after seeded random edits and random disconnects', async () => {
    const { harness, fixture } = await setup()
    const random = seededRandom(20240611)
    const tokens = [fixture.tokens.interviewer, fixture.tokens.candidate]
    const clients = Array.from({ length: 5 }, (_, i) =>
      provider(harness.url, fixture.interviewId, tokens[i % 2] as string),
    )
    for (const client of clients) await whenEditable(client)

    const alphabet = 'abcdefghij \n{}();'
    for (let step = 0; step < 600; step++) {
      const client = clients[Math.floor(random() * clients.length)] as WebsocketProvider
      const text = fileText(client.doc)
      const roll = random()
      if (roll < 0.05) {
        if (client.shouldConnect) client.disconnect()
        else client.connect()
      } else if (text !== null && roll < 0.35 && text.length > 0) {
        const at = Math.floor(random() * text.length)
        text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at))
      } else if (text !== null) {
        const length = 1 + Math.floor(random() * 4)
        let insert = ''
        for (let i = 0; i < length; i++)
          insert += alphabet.charAt(Math.floor(random() * alphabet.length))
        text.insert(Math.floor(random() * (text.length + 1)), insert)
      }
      // Let the network interleave with the edits now and then.
      if (step % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    for (const client of clients) if (!client.shouldConnect) client.connect()

    await waitFor(
      () =>
        clients.every(
          (client) =>
            client.synced &&
            readText(client.doc) === readText((clients[0] as WebsocketProvider).doc),
        ),
      'all replicas equal',
    )
    const expected = readText((clients[0] as WebsocketProvider).doc)
    const onServer = await harness.manager.withRoom(fixture.interviewId, (room) =>
      room.readFile('main.js'),
    )
    expect(onServer).toBe(expected)
    expect(expected?.length).toBeGreaterThan(0)
  })

  it('never sends a peer its own update back', async () => {
    const { harness, fixture } = await setup()
    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const textB = await whenEditable(b)
    const raw = connectRaw(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    defer(() => raw.ws.terminate())
    await raw.opened

    // Build the raw client's edit on a replica of the server document.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(b.doc))
    const updates: Uint8Array[] = []
    replica.on('update', (update: Uint8Array) => updates.push(update))
    ;(replica.getMap('files').get('main.js') as Y.Text).insert(0, 'raw edit')
    const before = raw.frames.length
    raw.send(updateFrame(updates[0] as Uint8Array))
    await waitFor(() => textB.toJSON() === 'raw edit', 'b receives the raw edit')

    // B answers with an edit of its own; the server sends frames in order, so an echo of the raw
    // client's update would arrive before B's.
    textB.insert(textB.length, '!')
    await waitFor(
      () => raw.frames.slice(before).some((frame) => syncKind(frame) === 2),
      'b update at raw',
    )
    const updatesReceived = raw.frames.slice(before).filter((frame) => syncKind(frame) === 2)
    expect(updatesReceived).toHaveLength(1)
    const check = new Y.Doc()
    Y.applyUpdate(check, Y.encodeStateAsUpdate(replica))
    Y.applyUpdate(check, (updatesReceived[0] as Uint8Array).subarray(3))
    expect((check.getMap('files').get('main.js') as Y.Text).toJSON()).toBe('raw edit!')
  })

  it("turns a peer's \\r\\n into \\n for everyone", async () => {
    const { harness, fixture } = await setup()
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const textA = await whenEditable(a)
    await whenEditable(b)
    textA.insert(0, 'line one\r\nline two\r\n\r\nend\r')
    const expected = 'line one\nline two\n\nend'
    await waitFor(
      () => readText(a.doc) === expected && readText(b.doc) === expected,
      'LF everywhere',
    )
    const onServer = await harness.manager.withRoom(fixture.interviewId, (room) =>
      room.readFile('main.js'),
    )
    expect(onServer).toBe(expected)
  })
})
