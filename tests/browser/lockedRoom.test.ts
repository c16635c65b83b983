/**
 * The interviewer's Lock editor button (issue 14 B.2), in Chromium against a real server: the
 * interviewer locks, the candidate's window turns read-only at once (notice, no typing, no
 * language switch) while the interviewer keeps typing, and the unlock gives the candidate their
 * editor back. The server drops a locked candidate's edits whatever the page does
 * (tests/server/roomControls.test.ts); the page must not let them type into a copy that diverges.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setUpInterviewer, type Api } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, type Participant } from './browser.ts'
import { editor, editorText, focusEditor, openRoomWindows } from './roomPage.ts'

let server: TestServer
let browser: BrowserHarness
let api: Api
let interviewer: Participant
let candidate: Participant

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  ;({ api } = await setUpInterviewer(server.url))
  ;({ interviewer, candidate } = await openRoomWindows(browser, { url: server.url, api }))
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
  expect(candidate.errors.splice(0), 'console errors in the candidate’s window').toEqual([])
})

describe('locking the editor', () => {
  it("makes the candidate's window read-only while the interviewer types, until the unlock", async () => {
    const lock = interviewer.page.getByTestId('lock-editor')
    expect(await lock.textContent()).toBe('Lock editor')
    await lock.click()
    await interviewer.page.locator('[data-testid=lock-editor][aria-pressed=true]').waitFor()

    const { page } = candidate
    await page.getByTestId('locked-notice').waitFor()
    // Who locked it reaches the candidate as a notice too.
    await expect
      .poll(() => page.getByTestId('room-notice').textContent())
      .toContain('Ada Lovelace locked the editor.')
    await page.locator('[data-testid=editor][data-readonly=true]').waitFor()
    expect(await page.getByTestId('language-select').isDisabled()).toBe(true)
    const before = await editorText(page)
    await focusEditor(page)
    await page.keyboard.type('// typed under the lock')
    await editor(page).locator('.monaco-editor-overlaymessage', { hasText: 'locked' }).waitFor()
    expect(await editorText(page)).toBe(before)

    // The interviewer is not bound by the lock, and the candidate sees their typing.
    await focusEditor(interviewer.page)
    await interviewer.page.keyboard.type('// the interviewer types')
    await expect.poll(() => editorText(page)).toContain('// the interviewer types')

    await interviewer.page.getByTestId('lock-editor').click()
    await page.locator('[data-testid=editor][data-readonly=false]').waitFor()
    expect(await page.getByTestId('locked-notice').count()).toBe(0)
    await focusEditor(page)
    await page.keyboard.type('// typed after the unlock')
    await expect.poll(() => editorText(interviewer.page)).toContain('// typed after the unlock')
    expect(await editorText(interviewer.page)).not.toContain('under the lock')
  })
})

describe("stopping the candidate's runs", () => {
  it("disables the candidate's Run button with the reason, and enables it again", async () => {
    const { page } = candidate
    expect(await page.getByTestId('run-button').isDisabled()).toBe(false)
    await interviewer.page.getByTestId('candidate-runs').click()
    await page.locator('[data-testid=run-button][disabled]').waitFor()
    expect(await page.getByTestId('run-button').getAttribute('title')).toBe(
      'The interviewer has turned runs off for now',
    )
    // The interviewer still runs.
    expect(await interviewer.page.getByTestId('run-button').isDisabled()).toBe(false)
    expect(await interviewer.page.getByTestId('candidate-runs').textContent()).toBe(
      'Allow candidate runs',
    )
    await interviewer.page.getByTestId('candidate-runs').click()
    await page.locator('[data-testid=run-button]:not([disabled])').waitFor()
  })
})

// Issue 9, live controls: "remove a participant (their token stops working at once, on every
// channel) and see who is present, with each person's connection state".
describe('the People panel', () => {
  it('shows who is connected, and removing the candidate takes them out of the room at once', async () => {
    await interviewer.page.getByTestId('people-button').click()
    const rows = interviewer.page.getByTestId('people-row')
    const states = () =>
      rows.evaluateAll((items: { getAttribute(name: string): string | null }[]) =>
        items.map(
          (item) =>
            `${item.getAttribute('data-name')}: ${item.getAttribute('data-role')} ${item.getAttribute('data-state')}`,
        ),
      )
    // Grace joined once through the API when the interview was opened (away now), and once in
    // the browser; Ada entered twice, one person.
    await expect
      .poll(states)
      .toEqual([
        'Ada Lovelace: interviewer connected',
        'Grace: candidate away',
        'Grace Hopper: candidate connected',
      ])
    // Only candidates can be removed, after a confirmation.
    const hopper = rows.filter({ hasText: 'Grace Hopper' })
    interviewer.page.once('dialog', (dialog) => void dialog.accept())
    await hopper.getByTestId('remove-participant').click()
    // Their room closes at once; the link itself still admits a join (see docs/PROTOCOL.md), and
    // the page says why they are back at its form.
    await candidate.page.getByTestId('join-removed').waitFor()
    expect(await candidate.page.getByTestId('room').count()).toBe(0)
    await expect
      .poll(states)
      .toEqual([
        'Ada Lovelace: interviewer connected',
        'Grace: candidate away',
        'Grace Hopper: candidate removed',
      ])
    expect(await hopper.getByTestId('remove-participant').count()).toBe(0)
  })
})
