import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { collabParams } from '../../protocol/collab.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import { collabScope } from './collabHarness.ts'

const { defer, setup } = collabScope()

/** Opens a WebSocket to `path` and reports either 'open' or the HTTP status it was refused with. */
function attempt(port: number, path: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`)
    ws.once('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      response.resume()
      ws.terminate()
    })
    ws.once('error', (error) => reject(error))
  })
}

/** The query the web app sends for `token` (its protocol version included). */
const query = (token: string): string => new URLSearchParams(collabParams(token)).toString()

describe('collaboration authentication', () => {
  it('refuses missing, bad and foreign tokens and malformed paths before upgrading', async () => {
    const { harness, fixture } = await setup()
    const { port } = harness
    const id = fixture.interviewId
    const version = `protocolVersion=${PROTOCOL_VERSION}`
    expect(await attempt(port, `/collab/${id}?${version}`)).toBe(401)
    expect(await attempt(port, `/collab/${id}?${query('not-a-token')}`)).toBe(401)
    expect(await attempt(port, `/collab/${id}?${query(fixture.tokens.other)}`)).toBe(403)
    expect(await attempt(port, `/collab/?${query(fixture.tokens.interviewer)}`)).toBe(404)
    expect(await attempt(port, `/collab/${id}/extra?${query(fixture.tokens.interviewer)}`)).toBe(
      404,
    )
    expect(await attempt(port, `/collab/..%2F${id}?${query(fixture.tokens.interviewer)}`)).toBe(404)
    // None of them became a connection.
    expect(harness.manager.stats()).toMatchObject({ connections: 0, rooms: 0, loading: 0 })
    expect(harness.collab.connectionCount).toBe(0)
    expect(await attempt(port, `/collab/${id}?${query(fixture.tokens.candidate)}`)).toBe('open')
  })

  it('leaves upgrades on other paths to their own handler', async () => {
    const { harness } = await setup()
    const other = new WebSocketServer({ noServer: true })
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (!request.url?.startsWith('/socket.io/')) return
      other.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data) => ws.send(data)))
    }
    harness.server.on('upgrade', onUpgrade)
    defer(() => {
      harness.server.off('upgrade', onUpgrade)
      return new Promise<void>((resolve) => other.close(() => resolve()))
    })

    const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/socket.io/?EIO=4&transport=websocket`)
    defer(() => ws.terminate())
    const echoed = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping'))
      ws.once('message', (data: Buffer) => resolve(data.toString()))
      ws.once('error', reject)
    })
    expect(echoed).toBe('ping')
    expect(harness.collab.connectionCount).toBe(0)
  })
})
