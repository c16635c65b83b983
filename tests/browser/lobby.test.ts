/**
 * The signed-in lobby in Chromium against a real server, in a 1024×768 window (a small laptop):
 * the challenge filter never hides the challenge that "Create interview" would create, and the
 * interviews table fits the page.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Interview } from '../../protocol/api.ts'
import { setUpInterviewer, type Api } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, type Participant } from './browser.ts'

// The callback of `evaluate` runs in the browser; the project's tsconfig has no DOM lib.
interface PageElement {
  getAttribute(name: string): string | null
  scrollWidth: number
  clientWidth: number
  closest(selector: string): PageElement | null
}
declare const document: { documentElement: PageElement }

let server: TestServer
let browser: BrowserHarness
let api: Api
let interviewer: Participant

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  ;({ api } = await setUpInterviewer(server.url))
  interviewer = await browser.participant({ origin: server.url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
  await interviewer.page.setViewportSize({ width: 1024, height: 768 })
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
})

async function openLobby(page: Page): Promise<void> {
  await page.goto(server.url)
  await page.getByTestId('create-interview-form').waitFor()
}

describe('the lobby at 1024×768', () => {
  it('keeps the selected challenge in the list, marked, when the filter does not match it, and creates that one', async () => {
    // Regression: the filter hid the selected challenge, and "Create interview" still created it.
    const { page } = interviewer
    await openLobby(page)
    await page.locator('[data-testid=challenge-option][data-slug=two-sum]').click()
    await page.getByLabel('Filter challenges').fill('no challenge is called this')
    await page.getByTestId('no-challenge-matches').waitFor()

    const options = page.getByTestId('challenge-option')
    expect(
      await options.evaluateAll((all: PageElement[]) =>
        all.map((o) => o.getAttribute('data-slug')),
      ),
    ).toEqual(['two-sum'])
    const selected = options.first()
    expect(await selected.getAttribute('data-outside-filter')).toBe('true')
    expect(await selected.locator('input').isChecked()).toBe(true)
    expect(await selected.textContent()).toContain('selected, not matching')
    expect(await page.getByTestId('no-challenge-matches').textContent()).toContain(
      'no challenge is called this',
    )

    await page.getByTestId('create-interview').click()
    await page.getByTestId('created-interview').waitFor()
    const [latest] = (await api.get<Interview[]>('/api/interviews')).body
    expect(latest?.challengeSlug).toBe('two-sum')
    // Once the filter matches it again, it is an ordinary row among the matches.
    await page.getByLabel('Filter challenges').fill('two')
    await expect.poll(() => selected.getAttribute('data-outside-filter')).toBe('false')
  })

  it('fits the interviews table in the page, without a horizontal scroll, even with long titles', async () => {
    const { page } = interviewer
    const long =
      'Senior backend engineer, platform team, second technical round with the hiring panel'
    for (const title of [long, 'Short', 'x'.repeat(60)]) {
      const created = await api.post<Interview>('/api/interviews', { challenge: 'two-sum', title })
      expect(created.status).toBe(201)
    }
    const [ended] = (await api.get<Interview[]>('/api/interviews')).body
    await api.post(`/api/interviews/${ended?.id ?? ''}/end`)
    await openLobby(page)
    const table = page.getByTestId('interview-list')
    await expect.poll(() => page.getByTestId('interview-row').count()).toBe(4)

    const widths = await table.evaluate((element: PageElement) => {
      const container = element.closest('.panel')
      const root = document.documentElement
      return {
        page: [root.scrollWidth, root.clientWidth],
        container: [container?.scrollWidth ?? -1, container?.clientWidth ?? -1],
        table: [element.scrollWidth, element.clientWidth],
      }
    })
    for (const [what, [scroll, client]] of Object.entries(widths)) {
      expect(scroll, `${what}: scrollWidth ${scroll} > clientWidth ${client}`).toBeLessThanOrEqual(
        client ?? 0,
      )
    }
  })
})
