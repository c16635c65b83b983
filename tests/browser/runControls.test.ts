/**
 * The run panel's controls in Chromium against a real server: the Stop button in both windows
 * while a run is in flight, the source-size notice before a run, and the reload banner a page
 * gets when it speaks another protocol version than the server.
 *
 * The steps share one server, one browser and one interview, in order.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page, Route } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultSourceBytes } from '../../protocol/languages.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import { setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, type Participant } from './browser.ts'
import {
  editor,
  editorText,
  finishedSummary,
  shownRunId,
  openRoomWindows,
  pasteCode,
  resultRows,
  waitForEditorFile,
} from './roomPage.ts'

// The callback of `evaluate` runs in the browser; the project's tsconfig has no DOM lib.
declare class DataTransfer {
  setData(format: string, data: string): void
}
declare const ClipboardEvent: new (
  type: string,
  init: { clipboardData: DataTransfer; bubbles: boolean; cancelable: boolean },
) => object

/**
 * pasteCode, but with the caret put near the editor's top: with the source-size
 * notice shown the run panel is taller, and pasteCode's click point is no longer in the editor.
 */
async function replaceCode(page: Page, code: string): Promise<void> {
  // Monaco's line layer is as tall as the file and scrolled, so the click goes to its host.
  await editor(page).click({ position: { x: 300, y: 100 } })
  await page.keyboard.press('ControlOrMeta+A')
  await editor(page)
    .locator('textarea')
    .evaluate((area: { dispatchEvent(event: object): boolean }, text: string) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      area.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, code)
}

/** Never returns: the run stays in flight until somebody stops it. */
const spinner = 'function twoSum(nums, target) {\n  for (;;) {}\n}\n'

const rightTwoSum = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
  return []
}
`

let server: TestServer
let browser: BrowserHarness
let interviewer: Participant
let candidate: Participant

/**
 * Two Sum with the longest time limit a challenge may have, so the spinning run is still in flight
 * when Stop is clicked however busy the machine is (at 1 s, a loaded machine let it time out).
 */
let challengesDir: string

beforeAll(async () => {
  await ensureWebBuild()
  challengesDir = mkdtempSync(path.join(tmpdir(), 'tandem-run-controls-'))
  cpSync(path.join('challenges', 'two-sum'), path.join(challengesDir, 'two-sum'), {
    recursive: true,
  })
  const metaPath = path.join(challengesDir, 'two-sum', 'challenge.json')
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { limits: { timeMs: number } }
  meta.limits.timeMs = 20_000
  writeFileSync(metaPath, JSON.stringify(meta))
  server = await startTestServer({ env: { CHALLENGES_DIR: challengesDir } })
  browser = await BrowserHarness.launch()
  const { api } = await setUpInterviewer(server.url)
  ;({ interviewer, candidate } = await openRoomWindows(browser, { url: server.url, api }))
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
  rmSync(challengesDir, { recursive: true, force: true })
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
  expect(candidate.errors.splice(0), 'console errors in the candidate’s window').toEqual([])
})

describe('the run panel', () => {
  it('shows Stop in both windows while a run is in flight, and the interviewer’s click cancels it for everyone', async () => {
    for (const { page } of [interviewer, candidate]) {
      expect(await page.getByTestId('stop-button').count()).toBe(0)
    }
    await pasteCode(candidate.page, spinner)
    await expect.poll(() => editorText(interviewer.page)).toBe(spinner)
    await candidate.page.getByTestId('run-button').click()
    // Whoever started it, anyone in the room may stop it.
    for (const { page } of [interviewer, candidate]) {
      await page.getByTestId('stop-button').waitFor()
    }
    await interviewer.page.getByTestId('stop-button').click()

    for (const { page } of [interviewer, candidate]) {
      await finishedSummary(page).waitFor()
      expect(await page.getByTestId('run-verdict').getAttribute('data-verdict')).toBe('cancelled')
      expect(await page.getByTestId('run-summary').textContent()).toContain(
        'Cancelled by Ada Lovelace.',
      )
      // The spinning test and every test after it were cut off by the cancel, not failed.
      const rows = await resultRows(page)
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.map((row) => row.verdict)).toEqual(rows.map(() => 'cancelled'))
      await expect.poll(() => page.getByTestId('stop-button').count()).toBe(0)
      expect(await page.getByTestId('run-button').isEnabled()).toBe(true)
    }
  })

  it('says before a run that the code is over the source limit, and lets it run once it is not', async () => {
    // Lines of a comment, just over the limit every language has by default.
    const line = `// ${'x'.repeat(97)}\n`
    const big = `${rightTwoSum}${line.repeat(Math.ceil(defaultSourceBytes / line.length) + 10)}`
    await pasteCode(candidate.page, big)
    for (const { page } of [candidate, interviewer]) {
      const notice = page.getByTestId('source-too-large')
      await notice.waitFor()
      expect(await notice.textContent()).toMatch(
        /^The code is 25\d(\.\d)? KiB; a run takes at most 256 KiB\./,
      )
      expect(await page.getByTestId('run-button').isDisabled()).toBe(true)
    }
    await replaceCode(candidate.page, rightTwoSum)
    for (const { page } of [candidate, interviewer]) {
      await expect.poll(() => page.getByTestId('source-too-large').count()).toBe(0)
      await expect.poll(() => page.getByTestId('run-button').isEnabled()).toBe(true)
    }
  })

  // Issue 14 B.4: the fields used to be built by parsing the display signature back, and
  // prefilled by splitting the first test's display input; both now arrive as data.
  it('runs custom input from fields prefilled with the first test’s arguments, checked as typed', async () => {
    const { page } = candidate
    await page.getByTestId('tab-custom').click()
    const fields = page.getByTestId('custom-arg')
    await expect.poll(() => fields.count()).toBe(2)
    expect(
      await fields.evaluateAll((areas: { value: string }[]) => areas.map((a) => a.value)),
    ).toEqual(['[2,7,11,15]', '9'])
    await fields.nth(1).fill('nine')
    await page.getByTestId('custom-run-button').click()
    expect(await page.locator('.field-issue').textContent()).toBe('Not valid JSON (expected int)')
    await fields.nth(1).fill('18')
    // The stop test's cancelled run is still on show: wait for this run's own summary.
    const before = await Promise.all([candidate.page, interviewer.page].map(shownRunId))
    await page.getByTestId('custom-run-button').click()
    for (const [index, { page: window }] of [candidate, interviewer].entries()) {
      await finishedSummary(window, before[index] ?? null).waitFor()
      const rows = await resultRows(window)
      expect(rows.map((row) => row.verdict)).toEqual(['passed'])
      // A custom run's one row opens by itself.
      expect(await window.getByTestId('result-details').textContent()).toContain('[1,2]')
    }
  })

  // Issue 9, live controls: "follow the candidate (the interviewer's editor scrolls with the
  // candidate's cursor)".
  it('scrolls the interviewer’s editor to the candidate’s cursor while Follow candidate is on', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `// line ${i + 1}`).join('\n')
    const long = `${rightTwoSum}${lines}\n`
    // Pasting leaves the candidate's caret at the end, line 210, far below the first screen.
    await pasteCode(candidate.page, long)
    // The interviewer's editor draws only the lines in view: the top of the file has arrived.
    await expect.poll(() => editorText(interviewer.page)).toContain('// line 1\n')
    // Monaco draws spaces as U+00A0.
    const shown = async () =>
      (
        (await interviewer.page.locator('[data-testid=editor] .view-lines').textContent()) ?? ''
      ).replaceAll('\u00a0', ' ')
    const follow = interviewer.page.getByTestId('follow-candidate')
    expect(await follow.getAttribute('aria-pressed')).toBe('false')
    expect(await shown()).not.toContain('// line 200')
    await follow.click()
    await expect.poll(shown).toContain('// line 200')
    // Candidates have no such button: they are the one followed.
    expect(await candidate.page.getByTestId('follow-candidate').count()).toBe(0)
    await follow.click()
    expect(await follow.getAttribute('aria-pressed')).toBe('false')
  })

  it('asks a page built for another protocol version to reload, and the reload brings the room back', async () => {
    const { page } = candidate
    // The page as an older build would speak: its socket.io handshake carries another version.
    // (socket.io-client sends its CONNECT packet, with `auth`, in a long-polling POST.)
    const stale = (route: Route): Promise<void> => {
      const body = route.request().postData()
      if (route.request().method() !== 'POST' || body === null) return route.continue()
      return route.continue({
        postData: body.replace(
          `"protocolVersion":${PROTOCOL_VERSION}`,
          `"protocolVersion":${PROTOCOL_VERSION - 1}`,
        ),
      })
    }
    await page.route('**/socket.io/**', stale)
    await page.reload()
    const notice = page.getByTestId('reload-notice')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('Tandem was updated')
    expect(await page.getByTestId('run-button').getAttribute('title')).toBe(
      'Tandem was updated: reload the page to run',
    )
    // The new build is what the next load fetches; the button reloads into a working room.
    await page.unroute('**/socket.io/**', stale)
    await page.getByTestId('reload-button').click()
    await waitForEditorFile(page, 'two-sum/solution.js')
    await page.locator('[data-testid=connection-indicator][data-state=online]').waitFor()
    expect(await page.getByTestId('reload-notice').count()).toBe(0)
    await expect.poll(() => page.getByTestId('run-button').isEnabled()).toBe(true)
  })
})
