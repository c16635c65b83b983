/**
 * Webhooks in the lobby, in Chromium against a real server (issue 9.9): an interviewer adds an
 * endpoint for their ATS, copies the signing secret shown once, sends a test and watches the
 * delivery log; the receiver (a real HTTP server on loopback, which the operator allowed) verifies
 * the signature with the secret from the page, using the Standard Webhooks reference library. A
 * receiver that fails shows its HTTP status and the retry in the log. Writes
 * docs/screenshots/webhooks.png.
 */
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { BrowserHarness, ensureWebBuild, saveScreenshot, type Participant } from './browser.ts'

let server: TestServer
let browser: BrowserHarness
let interviewer: Participant
let receiver: WebhookReceiver

beforeAll(async () => {
  await ensureWebBuild()
  // The receiver answers 503 to the second request (the failing one below), 200 otherwise.
  receiver = await startWebhookReceiver([200, 503])
  server = await startTestServer({
    env: {
      TANDEM_WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_RETRY_SCHEDULE_MS: '0,600000',
      WEBHOOK_POLL_MS: '20',
    },
  })
  browser = await BrowserHarness.launch()
  const { api } = await setUpInterviewer(server.url)
  interviewer = await browser.participant({ origin: server.url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
  await interviewer.page.goto(server.url)
  await interviewer.page.getByTestId('webhooks').waitFor()
}, 120_000)

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
  await (receiver as WebhookReceiver | undefined)?.close()
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
})

describe('webhooks in the lobby', () => {
  it('adds an endpoint, shows its secret once, and a test it sends verifies with that secret', async () => {
    const { page } = interviewer
    const panel = page.getByTestId('webhooks')
    await panel.getByLabel('Endpoint URL').fill(receiver.url)
    await panel.getByRole('button', { name: 'Add endpoint' }).click()
    const secret = await panel.getByLabel('Signing secret').inputValue()
    expect(secret).toMatch(/^whsec_/)
    const row = panel.getByTestId('webhook-row')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.getByTestId('webhook-state').textContent()).toContain(
      'On · Interview ended, Report ready, Scorecard submitted',
    )

    await row.getByRole('button', { name: 'Deliveries' }).click()
    await row.getByText('Nothing sent yet.').waitFor()
    await row.getByRole('button', { name: 'Send test' }).click()
    await waitFor(() => receiver.received.length === 1, 'the test message at the receiver')
    const [message] = receiver.received
    if (message === undefined) throw new Error('unreachable')
    const payload = new Webhook(secret).verify(message.body, receiver.signatureHeaders(message))
    expect(payload).toMatchObject({ type: 'webhook.test' })

    const delivered = row.locator('[data-testid=webhook-delivery][data-status=delivered]')
    await expect
      .poll(async () => {
        await row.getByRole('button', { name: 'Refresh' }).click()
        return delivered.count()
      })
      .toBe(1)
    expect(await delivered.textContent()).toContain('webhook.test')
    // Reloaded, the page lists the endpoint but never the secret again.
    await page.reload()
    await page.getByTestId('webhook-row').waitFor()
    expect(await page.getByTestId('webhook-secret').count()).toBe(0)
  })

  it('shows a failing receiver’s status and the retry to come in the log', async () => {
    const row = interviewer.page.getByTestId('webhook-row')
    await row.getByRole('button', { name: 'Deliveries' }).click()
    await row.getByRole('button', { name: 'Send test' }).click()
    await waitFor(() => receiver.received.length === 2, 'the second test at the receiver')
    const pending = row.locator('[data-testid=webhook-delivery][data-status=pending]')
    await expect
      .poll(async () => {
        await row.getByRole('button', { name: 'Refresh' }).click()
        return (await pending.count()) === 1 ? pending.textContent() : null
      })
      .toMatch(/pending · next .*1 of 2.*HTTP 503/)
    await row.getByTestId('webhook-deliveries').scrollIntoViewIfNeeded()
    await saveScreenshot(interviewer.page, 'webhooks')
  })

  it('turns an endpoint off and on, and deletes it', async () => {
    const { page } = interviewer
    const row = page.getByTestId('webhook-row')
    await row.getByRole('button', { name: 'Turn off' }).click()
    await expect.poll(() => row.getByTestId('webhook-state').textContent()).toMatch(/^Off/)
    await row.getByRole('button', { name: 'Turn on' }).click()
    await expect.poll(() => row.getByTestId('webhook-state').textContent()).toMatch(/^On/)
    page.once('dialog', (dialog) => void dialog.accept())
    await row.getByRole('button', { name: 'Delete' }).click()
    await page.getByTestId('webhooks').getByText('No endpoints.').waitFor()
  })
})
