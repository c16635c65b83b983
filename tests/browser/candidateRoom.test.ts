/**
 * What a candidate's window shows and does, in Chromium against a real server: a hidden test that
 * crashed reads "Failed" (never the class redaction hid), and Enter in the editor is a newline even
 * while a suggestion is offered.
 *
 * The steps share one server and one browser; each opens an interview of its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openInterview, setUpInterviewer, type Api } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, type Participant } from './browser.ts'
import {
  editor,
  editorText,
  finishedSummary,
  focusEditor,
  pasteCode,
  resultRows,
  waitForEditorFile,
} from './roomPage.ts'

let server: TestServer
let browser: BrowserHarness
let api: Api
let candidate: Participant

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  ;({ api } = await setUpInterviewer(server.url))
  candidate = await browser.participant({ origin: server.url })
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  expect(candidate.errors.splice(0), 'console errors in the candidate’s window').toEqual([])
})

/** Opens a new interview in `language` and joins it in the candidate's window by its link. */
async function joinNewInterview(language: string, file: string): Promise<void> {
  const { candidateToken } = await openInterview(api, 'two-sum', language)
  const { page } = candidate
  await page.goto(`${server.url}/join/${candidateToken}`)
  await page.getByTestId('join-name').fill('Grace Hopper')
  await page.getByTestId('join-submit').click()
  await waitForEditorFile(page, file)
  await page.locator('[data-testid=connection-indicator][data-state=online]').waitFor()
}

describe('the candidate’s room', () => {
  it('labels a hidden test that crashed "Failed", in its row and in the summary, never "Runtime error"', async () => {
    // Regression: redaction sent the crash as `failed`, which the room labelled "Wrong answer".
    await joinNewInterview('javascript', 'two-sum/solution.js')
    const { page } = candidate
    await pasteCode(
      page,
      // Right on every visible test; throws on the hidden one with negative numbers.
      `function twoSum(nums, target) {
  if (nums.some((n) => n < 0)) throw new Error('negative')
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
  return []
}
`,
    )
    await page.getByTestId('run-button').click()
    await finishedSummary(page).waitFor()

    const rows = await resultRows(page)
    const crashed = rows.filter((row) => row.verdict === 'failed')
    expect(crashed.map((row) => [row.name, row.hidden])).toEqual([['Hidden test 4', true]])
    const badge = page.locator(`[data-testid=result-row][data-test-id="${crashed[0]?.testId}"]`)
    expect(await badge.getByTestId('verdict-badge').textContent()).toBe('Failed')
    expect(await page.getByTestId('run-verdict').textContent()).toBe('Failed')
    expect(await page.getByTestId('run-score').textContent()).toBe('5/6 passed')
    expect(await page.getByTestId('results').textContent()).not.toMatch(
      /Wrong answer|Runtime error|negative/,
    )
  })

  it('inserts a newline on Enter while a suggestion is offered; the suggestion is not accepted', async () => {
    // Regression: Monaco accepted suggestions on Enter, so `tot` + Enter became `total`.
    await joinNewInterview('python', 'two-sum/solution.py')
    const { page } = candidate
    await pasteCode(page, 'total = 0\n')
    await focusEditor(page)
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.type('tot')
    // The word-based suggestion `total` is on screen, selected, when Enter is pressed.
    const suggestion = editor(page).locator('.suggest-widget.visible')
    await suggestion.waitFor()
    expect(await suggestion.textContent()).toContain('total')
    await page.keyboard.press('Enter')
    await page.keyboard.type('x')

    await expect.poll(() => editorText(page)).toBe('total = 0\ntot\nx')
  })
})
