/**
 * Regression (issue 14 A.4, A.10) in Chromium against a real server: after the end, the
 * interviewer's room stayed editable — their typing still reached the server — and the Run button
 * still ran. Now the ended room opens read-only for the interviewer: Monaco takes no typing, a
 * notice says so, Run and the language menu are disabled, and a reload opens it the same way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../helpers/api.ts'
import { openInterview, setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, type Participant } from './browser.ts'
import { editor, editorText, focusEditor, waitForEditorFile } from './roomPage.ts'

let server: TestServer
let browser: BrowserHarness
let interviewer: Participant
let api: Api
let interviewId: string

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  ;({ api } = await setUpInterviewer(server.url))
  ;({
    interview: { id: interviewId },
  } = await openInterview(api))
  interviewer = await browser.participant({ origin: server.url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
  await interviewer.page.goto(`${server.url}/interviews/${interviewId}`)
  await waitForEditorFile(interviewer.page, 'two-sum/solution.js')
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
})

/** Asserts the room is read-only: notice, no typing, Run and the language menu disabled. */
async function expectReadOnly(): Promise<void> {
  const { page } = interviewer
  await page.getByTestId('ended-notice').waitFor()
  expect(await page.getByTestId('ended-notice').textContent()).toBe(
    'This interview has ended — read-only',
  )
  await page.locator('[data-testid=editor][data-readonly=true]').waitFor()
  const before = await editorText(page)
  await focusEditor(page)
  await page.keyboard.type('// typed after the end')
  // Monaco answers a keystroke in a read-only editor with the message we gave it.
  await editor(page).locator('.monaco-editor-overlaymessage', { hasText: 'read-only' }).waitFor()
  expect(await editorText(page)).toBe(before)
  expect(await page.getByTestId('run-button').isDisabled()).toBe(true)
  expect(await page.getByTestId('language-select').isDisabled()).toBe(true)
}

describe('an ended room', () => {
  it('stays open for the interviewer, read-only, and reopens read-only', async () => {
    const { page } = interviewer
    expect(await page.getByTestId('ended-notice').count()).toBe(0)
    expect(await editor(page).getAttribute('data-readonly')).toBe('false')
    // While live, typing shows (so the read-only check below can tell the difference).
    await focusEditor(page)
    await page.keyboard.type('// live')
    await expect.poll(() => editorText(page)).toContain('// live')
    const ended = await api.post(`/api/interviews/${interviewId}/end`)
    expect(ended.status).toBe(200)
    await expectReadOnly()
    await page.reload()
    await waitForEditorFile(page, 'two-sum/solution.js')
    await expectReadOnly()
  })
})
