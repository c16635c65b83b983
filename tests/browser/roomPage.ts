/**
 * What a browser test needs to read and drive in a room page: Monaco's text as the person sees it,
 * code put in the way a person pastes it, remote cursors, and the results panel.
 */
import type { Locator, Page } from 'playwright-core'
import { openInterview, type Api } from '../helpers/api.ts'
import type { BrowserHarness, Participant } from './browser.ts'

// The callbacks passed to `evaluate` run in the browser. The project's tsconfig has no DOM lib (the
// server must not see one), so the little of the DOM they use is declared here, for this module.
interface PageElement {
  readonly textContent: string | null
  readonly style: { readonly top: string }
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): Iterable<PageElement>
  getAttribute(name: string): string | null
  dispatchEvent(event: object): boolean
  getBoundingClientRect(): { top: number; height: number }
}
declare function getComputedStyle(
  element: PageElement,
  pseudo?: string,
): { content: string; borderLeftColor: string; backgroundColor: string }
declare class DataTransfer {
  setData(format: string, data: string): void
}
declare const ClipboardEvent: new (
  type: string,
  init: { clipboardData: DataTransfer; bubbles: boolean; cancelable: boolean },
) => object
declare const navigator: { clipboard: { readText(): Promise<string> } }

/** The editor host; `data-ready` turns true once the shared file is bound and shown. */
export function editor(page: Page): Locator {
  return page.getByTestId('editor')
}

/** Waits until the editor shows a file whose path ends with `suffix` (e.g. `.ts`). */
export async function waitForEditorFile(page: Page, suffix: string): Promise<void> {
  await page.locator(`[data-testid=editor][data-ready=true][data-file$="${suffix}"]`).waitFor()
}

/**
 * The code the editor renders, line by line. Monaco draws only the lines in view and reuses their
 * nodes in any order, so lines are put back in order by their offset; it draws spaces as U+00A0.
 */
export function editorText(page: Page): Promise<string> {
  return monacoText(editor(page))
}

/** The interviewers' notes editor (NotesPane); `data-synced` turns true once it caught up. */
export function notesEditor(page: Page): Locator {
  return page.getByTestId('notes-editor')
}

/** The notes as the notes editor renders them, line by line (see editorText). */
export function notesText(page: Page): Promise<string> {
  return monacoText(notesEditor(page))
}

function monacoText(host: Locator): Promise<string> {
  return host.locator('.view-lines').evaluate((lines: PageElement) =>
    [...lines.querySelectorAll(':scope > .view-line')]
      .map((line) => ({ top: Number.parseFloat(line.style.top), text: line.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replaceAll('\u00a0', ' '))
      .join('\n'),
  )
}

/**
 * Replaces the whole file with `code` the way a person pastes it: select all, then a paste event
 * carrying the text. Typing it key by key would go through auto-closing brackets and auto-indent
 * and end up as different code.
 */
export async function pasteCode(page: Page, code: string): Promise<void> {
  await focusEditor(page)
  await page.keyboard.press('ControlOrMeta+A')
  await editor(page)
    .locator('textarea')
    .evaluate((area: PageElement, text) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      area.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, code)
}

/** Puts the caret in the editor (at the end of the last line it shows). */
export async function focusEditor(page: Page): Promise<void> {
  await editor(page)
    .locator('.view-lines')
    .click({ position: { x: 400, y: 380 } })
}

/** The line comments' margin markers in the code editor (CommentMarkers). */
export function commentMarkers(page: Page): Locator {
  return editor(page).locator('.comment-glyph')
}

/**
 * The line number beside each comment marker, top to bottom: the number whose row the marker's
 * row is drawn in (Monaco positions both absolutely, so they are matched by their position).
 */
export function commentMarkerLines(page: Page): Promise<number[]> {
  return editor(page).evaluate((host: PageElement) => {
    const numbers = [...host.querySelectorAll('.line-numbers')].map((node) => ({
      rect: node.getBoundingClientRect(),
      line: Number(node.textContent),
    }))
    return [...host.querySelectorAll('.comment-glyph')]
      .map((marker) => {
        const { top, height } = marker.getBoundingClientRect()
        const middle = top + height / 2
        const row = numbers.find(
          ({ rect }) => middle >= rect.top && middle < rect.top + rect.height,
        )
        return row?.line ?? Number.NaN
      })
      .sort((a, b) => a - b)
  })
}

/**
 * y-monaco's decoration for another person's caret: `yRemoteSelectionHead-<clientId>`, styled by
 * the room with their colour and their name in a label.
 */
export function remoteCursors(page: Page): Locator {
  return editor(page).locator('[class*="yRemoteSelectionHead-"]')
}

/** The label text and colour the room's stylesheet gives a remote caret. */
export function remoteCursorStyle(cursor: Locator): Promise<{ label: string; color: string }> {
  return cursor.evaluate((element: PageElement) => {
    const label = getComputedStyle(element, '::after')
    return { label: label.content, color: getComputedStyle(element).borderLeftColor }
  })
}

/** The id of the run the results pane shows; null before the room's first run. */
export async function shownRunId(page: Page): Promise<string | null> {
  const results = page.getByTestId('results')
  return (await results.count()) === 0 ? null : results.getAttribute('data-run-id')
}

/**
 * The finished run's summary (its verdict is not `pending`). Pass `after`, the run shown before
 * the click that started this one (shownRunId): until the new run's first event arrives the pane
 * still shows the previous, finished run, and a wait without it would be satisfied by that one.
 */
export function finishedSummary(page: Page, after: string | null = null): Locator {
  const results =
    after === null ? '[data-testid=results]' : `[data-testid=results]:not([data-run-id="${after}"])`
  return page.locator(`${results} [data-testid=run-summary]:not([data-verdict=pending])`)
}

/** Result rows with their verdicts, names and whether they are hidden, in order. */
export function resultRows(
  page: Page,
): Promise<{ testId: string; verdict: string; name: string; hidden: boolean }[]> {
  return page.getByTestId('result-row').evaluateAll((rows: PageElement[]) =>
    rows.map((row) => ({
      testId: row.getAttribute('data-test-id') ?? '',
      verdict: row.getAttribute('data-verdict') ?? '',
      name: row.querySelector('.result-name')?.textContent ?? '',
      hidden: row.getAttribute('data-hidden') === 'true',
    })),
  )
}

/** The colour of someone's presence dot in the room's header, as `rgb(…)`. */
export function presenceColor(page: Page, name: string): Promise<string> {
  return page
    .getByTestId('presence-user')
    .filter({ hasText: name })
    .locator('.presence-dot')
    .evaluate((dot: PageElement) => getComputedStyle(dot).backgroundColor)
}

/** What the page would paste: the clipboard's text (the context needs clipboard permissions). */
export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText())
}

/**
 * A new Two Sum interview in JavaScript (openInterview: its candidate link also joined once over
 * the API, as "Grace"), with an interviewer's window (signed in by the session cookie `api`
 * holds) and a candidate's (joined by the link as Grace Hopper), both bound and online.
 */
export async function openRoomWindows(
  browser: BrowserHarness,
  room: { url: string; api: Api },
): Promise<{ interviewer: Participant; candidate: Participant }> {
  const { url, api } = room
  const { interview, candidateToken } = await openInterview(api, 'two-sum', 'javascript')
  const interviewer = await browser.participant({ origin: url })
  const candidate = await browser.participant({ origin: url })
  const [name, value] = (api.cookie ?? '').split('=')
  await interviewer.context.addCookies([{ name: name ?? '', value: value ?? '', url }])
  await interviewer.page.goto(`${url}/interviews/${interview.id}`)
  await candidate.page.goto(`${url}/join/${candidateToken}`)
  await candidate.page.getByTestId('join-name').fill('Grace Hopper')
  await candidate.page.getByTestId('join-submit').click()
  for (const { page } of [interviewer, candidate]) {
    await waitForEditorFile(page, 'two-sum/solution.js')
    await page.locator('[data-testid=connection-indicator][data-state=online]').waitFor()
  }
  return { interviewer, candidate }
}
