/**
 * A real HTTP receiver for webhook tests, on 127.0.0.1 port 0: it records every request (headers
 * and the exact body) and answers each with the next status of its script (200 once the script
 * runs out). `close()` stops it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders
  body: string
}

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:43210/hook */
  url: string
  port: number
  received: ReceivedWebhook[]
  /** The Standard Webhooks headers of a received request, as the reference library takes them. */
  signatureHeaders(request: ReceivedWebhook): Record<string, string>
  close(): Promise<void>
}

export async function startWebhookReceiver(script: number[] = []): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const statuses = [...script]
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const status = statuses.shift() ?? 200
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(status < 300 ? 'thanks' : `failing with ${String(status)} on purpose`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/hook`,
    port,
    received,
    signatureHeaders: ({ headers }) => ({
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
