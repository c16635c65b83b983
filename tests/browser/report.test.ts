/**
 * The report in Chromium (issue 9.7): after an interview with a wrong run and a right one, the
 * interviewer opens the report from the lobby, reads the runs with their verdicts, the code, the
 * interviewers' notes (Markdown rendered, markup in them inert) and a line comment with the code it
 * points at, and exports it as one HTML file and as a PDF.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { solutionPath } from '../../protocol/collab.ts'
import { openInterview, setUpInterviewer } from '../helpers/api.ts'
import { ask, connectRoom, typeInRoom } from '../helpers/clients.ts'
import { takeNotes } from '../helpers/notes.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { BrowserHarness, ensureWebBuild, saveScreenshot, type Participant } from './browser.ts'

const wrong = `function twoSum(nums, target) {
  return [0, 0]
}
`
const right = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
}
`

// Markdown the page renders, and markup it must show as text, never as an element.
const note = '## First impressions\n\n- **Asked** about duplicates <img src=x onerror=alert(1)>\n'

let server: TestServer
let browser: BrowserHarness
let interviewer: Participant
let interviewId: string

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  const { api } = await setUpInterviewer(server.url)
  const opened = await openInterview(api, 'two-sum', 'javascript')
  interviewId = opened.interview.id
  const token = opened.candidate.participantToken
  const candidate = await connectRoom(server.url, token)
  try {
    for (const code of [wrong, right]) {
      const path = solutionPath('two-sum', 'javascript')
      ;(await typeInRoom({ url: server.url, interviewId, token, path, code }))()
      const ack = await ask<{ ok: boolean; runId: string }>(candidate.socket, 'run:start', {
        mode: 'tests',
      })
      await candidate.runEvents(ack.runId)
    }
    await takeNotes({
      url: server.url,
      interviewId,
      token: opened.interviewer.participantToken,
      note,
      comment: {
        path: solutionPath('two-sum', 'javascript'),
        line: '    seen.set(nums[i], i)',
        text: 'Keeps the index, so one pass is enough.',
        author: 'Ada Interviewer',
      },
    })
  } finally {
    candidate.close()
  }
  expect((await api.post(`/api/interviews/${interviewId}/end`)).status).toBe(200)
  interviewer = await browser.participant({ origin: server.url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
}, 120_000)

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  expect(interviewer.errors.splice(0), 'console errors in the interviewer’s window').toEqual([])
})

describe('the report page', () => {
  it('opens from the lobby with every run, its verdict and the final code', async () => {
    const { page } = interviewer
    await page.goto(server.url)
    await page
      .locator(`[data-testid=interview-row][data-interview-id="${interviewId}"]`)
      .getByTestId('open-report')
      .click()
    await page.getByTestId('report').waitFor()
    expect(new URL(page.url()).pathname).toBe(`/interviews/${interviewId}/report`)
    const runs = page.getByTestId('report-run')
    await expect.poll(() => runs.count()).toBe(2)
    expect(await runs.nth(0).getAttribute('data-verdict')).toBe('failed')
    expect(await runs.nth(1).getAttribute('data-verdict')).toBe('passed')
    expect(await page.getByTestId('report-people').textContent()).toContain('Grace')
    expect(await page.getByTestId('report-summary').textContent()).toContain('2 (1 passing')
    await expect.poll(() => page.getByTestId('report-final-code').textContent()).toBe(right)
    await saveScreenshot(page, 'report')
  })

  it('shows the notes as rendered Markdown with their markup inert, and the comment on its line', async () => {
    const notes = interviewer.page.getByTestId('report-notes')
    // Headings sit below the page's own: a note's `##` is an h4.
    expect(await notes.locator('h4').textContent()).toBe('First impressions')
    expect(await notes.locator('li strong').textContent()).toBe('Asked')
    expect(await notes.locator('img').count()).toBe(0)
    expect(await notes.textContent()).toContain('<img src=x onerror=alert(1)>')
    const comment = interviewer.page.getByTestId('report-comment')
    expect(await comment.count()).toBe(1)
    expect(await comment.textContent()).toContain('Keeps the index, so one pass is enough.')
    expect(await comment.textContent()).toContain('lines 6–6')
    expect(await comment.locator('.report-code').textContent()).toBe('    seen.set(nums[i], i)')
  })

  it('exports one HTML file and a PDF', async () => {
    const { page } = interviewer
    const [html] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-html').click(),
    ])
    expect(html.suggestedFilename()).toMatch(/^report-.+\.html$/)
    const text = await readFile(await html.path(), 'utf8')
    expect(text).toContain('seen.set(nums[i], i)')
    expect(text).toContain('Grace')
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pdf').click(),
    ])
    expect(pdf.suggestedFilename()).toMatch(/^report-.+\.pdf$/)
    const bytes = await readFile(await pdf.path())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
  }, 90_000)
})
