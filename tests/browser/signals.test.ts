/**
 * Integrity signals in Chromium (issue 9.4), against a real server: the candidate reads what the
 * interviewer will see before joining and again in the room; a paste into the editor and the tab
 * going out of view and back appear in the interviewer's Signals list as they happen, on the
 * interview clock, with a toast; the candidate's window shows no signals at all. Writes
 * docs/screenshots/signals.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signalDisclosure } from '../../protocol/signals.ts'
import { openInterview, setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, saveScreenshot, type Participant } from './browser.ts'
import { pasteCode, waitForEditorFile } from './roomPage.ts'

let server: TestServer
let browser: BrowserHarness
let interviewer: Participant
let candidate: Participant

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  const { api } = await setUpInterviewer(server.url)
  const { interview, candidateToken } = await openInterview(api, 'two-sum', 'javascript')
  interviewer = await browser.participant({ origin: server.url })
  candidate = await browser.participant({ origin: server.url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
  await interviewer.page.goto(`${server.url}/interviews/${interview.id}`)
  await candidate.page.goto(`${server.url}/join/${candidateToken}`)
}, 120_000)

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

/** Makes the candidate's tab hidden or visible again, as switching to another tab does. */
async function setTabVisible(page: Participant['page'], visible: boolean): Promise<void> {
  // Headless Chromium keeps every page visible and focused; the page is told otherwise the way a
  // real tab switch tells it: the visibility state changes, then `visibilitychange` fires.
  await page.evaluate((shown) => {
    const doc = (globalThis as unknown as { document: object & EventTarget }).document
    Object.defineProperty(doc, 'visibilityState', {
      configurable: true,
      get: () => (shown ? 'visible' : 'hidden'),
    })
    doc.dispatchEvent(new Event('visibilitychange'))
  }, visible)
}

describe('integrity signals in the browser', () => {
  it('tells the candidate what is recorded before they join, and again in the room', async () => {
    await expect
      .poll(() => candidate.page.getByTestId('join-disclosure').textContent())
      .toContain(signalDisclosure)
    await candidate.page.getByTestId('join-name').fill('Grace Hopper')
    await candidate.page.getByTestId('join-submit').click()
    for (const { page } of [interviewer, candidate]) {
      await waitForEditorFile(page, 'two-sum/solution.js')
      await page.locator('[data-testid=connection-indicator][data-state=online]').waitFor()
    }
    expect(await candidate.page.getByTestId('signal-disclosure').textContent()).toBe(
      signalDisclosure,
    )
    expect(await interviewer.page.getByTestId('signals-empty').isVisible()).toBe(true)
  })

  it('shows the interviewer a paste and the tab leaving and coming back, as they happen', async () => {
    const code = 'function twoSum(nums, target) {\n  return [0, 1]\n}\n'
    await pasteCode(candidate.page, code)
    const signals = interviewer.page.getByTestId('signal')
    await signals.filter({ hasText: 'paste' }).first().waitFor()
    await expect
      .poll(() => interviewer.page.getByTestId('signal-toast').textContent())
      .toMatch(/Grace Hopper.*paste/i)
    const paste = await signals.filter({ hasText: 'paste' }).first().textContent()
    // How much and where, on the interview clock; never the pasted text itself.
    expect(paste).toMatch(/^\d+:\d\d Grace Hopper/)
    expect(paste).toContain(`${code.length}`)
    expect(paste).toContain('two-sum/solution.js')
    expect(paste).not.toContain('return [0, 1]')

    await setTabVisible(candidate.page, false)
    await interviewer.page.locator('[data-testid=signal][data-kind=focus]').first().waitFor()
    await setTabVisible(candidate.page, true)
    await expect
      .poll(() =>
        interviewer.page.locator('[data-testid=signal][data-kind=focus]').allTextContents(),
      )
      .toEqual([
        expect.stringMatching(/left the tab/),
        expect.stringMatching(/came back to the tab/),
      ])
    await saveScreenshot(interviewer.page, 'signals')
  })

  it('shows the candidate no signal, no list and no toast', async () => {
    expect(await candidate.page.getByTestId('signals').count()).toBe(0)
    expect(await candidate.page.getByTestId('signal').count()).toBe(0)
    expect(await candidate.page.getByTestId('signal-toast').count()).toBe(0)
  })
})
