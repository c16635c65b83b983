/**
 * The interviewers' private notes and line comments (issue 9, items 2 and 3), in Chromium against
 * a real server: two interviewers type notes together, each stamped with the interview clock; one
 * comments on a line of the candidate's code and the other sees the margin marker and reads it;
 * resolving takes the marker away. The candidate's window has no notes pane and never opens the
 * notes document. Writes docs/screenshots/notes-pane.png.
 */
import type { WebSocket } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { InviteCreated } from '../../protocol/api.ts'
import { Api, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { BrowserHarness, ensureWebBuild, saveScreenshot, type Participant } from './browser.ts'
import {
  commentMarkerLines,
  commentMarkers,
  editor,
  editorText,
  notesEditor,
  notesText,
  openRoomWindows,
  pasteCode,
  waitForEditorFile,
} from './roomPage.ts'

let server: TestServer
let browser: BrowserHarness
let ada: Participant
let barbara: Participant
let candidate: Participant
/** Every WebSocket the candidate's page opened, by URL. */
const candidateSockets: string[] = []

const code = [
  'function twoSum(nums, target) {',
  '  for (let i = 0; i < nums.length; i++) {',
  '    for (let j = i + 1; j < nums.length; j++) {',
  '      if (nums[i] + nums[j] === target) return [i, j]',
  '    }',
  '  }',
  '}',
].join('\n')

beforeAll(async () => {
  await ensureWebBuild()
  server = await startTestServer()
  browser = await BrowserHarness.launch()
  const { api } = await setUpInterviewer(server.url)
  const invite = await api.post<InviteCreated>('/api/invites')
  const apiB = new Api(server.url)
  const accepted = await apiB.post(`/api/invites/${invite.body.token}/accept`, {
    email: 'barbara@example.com',
    password: testPassword,
    name: 'Barbara Liskov',
  })
  expect(accepted.status).toBe(201)
  ;({ interviewer: ada, candidate } = await openRoomWindows(browser, { url: server.url, api }))
  candidate.page.on('websocket', (socket: WebSocket) => candidateSockets.push(socket.url()))
  // The candidate's page reloads so every socket it opens is seen from the start.
  await candidate.page.reload()
  await waitForEditorFile(candidate.page, 'two-sum/solution.js')

  barbara = await browser.participant({ origin: server.url })
  const [name, value] = (apiB.cookie ?? '').split('=')
  await barbara.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }])
  await barbara.page.goto(ada.page.url())
  for (const { page } of [ada, barbara]) {
    await waitForEditorFile(page, 'two-sum/solution.js')
    await notesEditor(page).and(page.locator('[data-synced=true]')).waitFor()
  }
  await pasteCode(candidate.page, code)
  for (const { page } of [ada, barbara]) {
    await waitFor(async () => (await editorText(page)) === code, 'the candidate’s code')
  }
})

afterAll(async () => {
  await (browser as BrowserHarness | undefined)?.close()
  await (server as TestServer | undefined)?.cleanup()
})

afterEach(() => {
  for (const [who, window] of Object.entries({ ada, barbara, candidate })) {
    expect(window.errors.splice(0), `console errors in ${who}’s window`).toEqual([])
  }
})

/** A stamped note: Ctrl+Enter in the notes starts one with the interview clock, then the text. */
async function writeNote(window: Participant, text: string): Promise<void> {
  await notesEditor(window.page).locator('.view-lines').click()
  await window.page.keyboard.press('ControlOrMeta+End')
  await window.page.keyboard.press('ControlOrMeta+Enter')
  await window.page.keyboard.type(text)
}

const stamped = (text: string): RegExp =>
  new RegExp(`^\\[\\d+:\\d\\d\\] ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm')

describe('private notes and line comments', () => {
  it('lets two interviewers take notes together, each note stamped with the interview clock', async () => {
    await writeNote(ada, 'reads the task twice')
    await waitFor(
      async () => stamped('reads the task twice').test(await notesText(barbara.page)),
      'Ada’s note in Barbara’s pane',
    )
    await writeNote(barbara, 'asks about **dupes**')
    for (const window of [ada, barbara]) {
      await waitFor(async () => {
        const text = await notesText(window.page)
        return (
          stamped('reads the task twice').test(text) && stamped('asks about **dupes**').test(text)
        )
      }, 'both notes in both panes')
    }

    // The preview renders the Markdown and shows each stamp as a chip.
    await barbara.page.getByTestId('notes-tab-preview').click()
    const preview = barbara.page.getByTestId('notes-preview')
    await preview.locator('strong', { hasText: 'dupes' }).waitFor()
    expect(await preview.locator('.note-stamp').count()).toBe(2)
    await barbara.page.getByTestId('notes-tab-write').click()
  })

  it('shows a comment on a line as a margin marker to the other interviewer, until resolved', async () => {
    // Ada puts the caret on the comparison line and comments on it (no selection: the line).
    await editor(ada.page).locator('.view-line', { hasText: '=== target' }).click()
    await ada.page.getByTestId('add-comment').click()
    const form = ada.page.getByTestId('comment-form')
    expect(await form.locator('.comment-where').textContent()).toBe('Comment on line 4')
    await ada.page.getByTestId('comment-input').fill('O(n²): ask for a single pass with a map')
    await ada.page.getByTestId('comment-save').click()

    const marker = commentMarkers(barbara.page)
    await marker.waitFor()
    // One marker, on line 4, beside the code it points at.
    expect(await commentMarkerLines(barbara.page)).toEqual([4])
    // Hovering the marker reads the comment; it is also in Barbara's list, with the code quoted.
    await marker.hover()
    await barbara.page
      .locator('.monaco-hover', { hasText: 'O(n²): ask for a single pass with a map' })
      .waitFor()
    const listed = barbara.page.getByTestId('comment')
    expect(await listed.getByTestId('comment-text').textContent()).toBe(
      'O(n²): ask for a single pass with a map',
    )
    expect(await listed.locator('.comment-quote').textContent()).toBe(
      '      if (nums[i] + nums[j] === target) return [i, j]',
    )
    await saveScreenshot(ada.page, 'notes-pane')

    // The candidate adds a line above: the marker moves down with the commented code.
    await editor(candidate.page).locator('.view-line', { hasText: 'function twoSum' }).click()
    await candidate.page.keyboard.press('End')
    await candidate.page.keyboard.press('Enter')
    await candidate.page.keyboard.type('// brute force')
    await waitFor(
      async () => (await commentMarkerLines(barbara.page))[0] === 5,
      'the marker to move to line 5 in Barbara’s editor',
    )
    expect(await editorText(barbara.page)).toContain('// brute force')

    await listed.getByTestId('comment-resolve').click()
    await commentMarkers(ada.page).waitFor({ state: 'detached' })
  })

  it('gives the candidate no notes pane, no comment marker, and no notes socket', async () => {
    const { page } = candidate
    expect(await page.getByTestId('room').getAttribute('data-role')).toBe('candidate')
    expect(await page.getByTestId('notes-pane').count()).toBe(0)
    expect(await page.getByTestId('add-comment').count()).toBe(0)
    expect(await editor(page).locator('.comment-glyph, .comment-range').count()).toBe(0)
    expect(candidateSockets.some((url) => url.includes('/collab/'))).toBe(true)
    expect(candidateSockets.filter((url) => url.includes('/notes'))).toEqual([])
    expect(await page.content()).not.toContain('reads the task twice')
  })
})
