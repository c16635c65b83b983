/**
 * One timed navigation in Chromium, and what the web benchmark reads from it.
 *
 * "Editor interactive" is, precisely: the room's Monaco editor is mounted and bound to the
 * shared Y.Doc (`data-ready=true`), it shows the starter code exactly, and a key pressed in it
 * (a real key event, sent as soon as the starter is seen) has been drawn on screen. The time is
 * from navigation start (`performance.timeOrigin`) to the animation frame that shows the key; it
 * includes one DevTools round trip between seeing the starter and pressing the key (a few ms).
 */
import type { BrowserContext, Page, Request } from 'playwright-core'
import { assetSize, gzippedAssetSize } from './builtAssetSize.ts'

/** A finished HTTP request of one navigation. */
export interface RequestRecord {
  url: string
  /** Playwright's resource type: `document`, `script`, `stylesheet`, `fetch`, `font`, … */
  type: string
  /** When it started, ms since the epoch. */
  startedAt: number
  /** The asset's body as sent, in the encoding sent (Brotli for Chromium); 0 for non-assets. */
  wireBytes: number
  /** Answered from Chromium's HTTP cache, not the server. */
  fromCache: boolean
}

/** Figures of one navigation. */
export interface NavigationSample {
  /** Navigation start → the page's goal (editor interactive; the load event for the floor), ms. */
  interactiveMs: number
  /** Navigation start → the join form shown (join flow only), ms. */
  joinFormMs: number | null
  /** The app's own User Timing marks (`tandem:*`), ms from navigation start. */
  marks: Record<string, number>
  /** Requests that started before interactive, and of them JS (page and workers). */
  requestsBefore: number
  scriptsBefore: number
  /** JS fetched from the server before interactive, gzipped bytes (the build's `.gz` sizes). */
  jsGzipBytesBefore: number
  /** The same JS as actually sent (Chromium accepts Brotli, which the server prefers). */
  jsWireBytesBefore: number
  /** After the network has been quiet for `idleMs` (null when the run did not wait for it). */
  jsGzipBytesAfterIdle: number | null
  requestsAfterIdle: number | null
}

/** What to wait for after navigating: the editor with `starter` in it, or only the load event. */
export type NavigationGoal =
  { kind: 'editor'; starter: string; join?: { name: string } } | { kind: 'load' }

export interface NavigateOptions {
  context: BrowserContext
  url: string
  goal: NavigationGoal
  /** The web build the server serves, to look up gzipped sizes. */
  dist: string
  /** Wait until no request has finished for this long, then count everything (ms). 0: don't. */
  idleMs: number
}

// Browser-side callbacks: the project's tsconfig has no DOM lib, so the little used is declared.
interface PageElement {
  readonly textContent: string | null
  readonly style: { readonly top: string }
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): Iterable<PageElement>
  focus(): void
}
declare const document: { querySelector(selector: string): PageElement | null }

/** The character typed to prove the editor takes input; removed again afterwards. */
const probeKey = 'x'

/**
 * Opens `url` in a new page of `context`, waits for the goal, and closes the page. Requests are
 * those of the page and its workers (Playwright reports both on the context).
 */
export async function navigate(options: NavigateOptions): Promise<NavigationSample> {
  const { context, goal } = options
  const requests: RequestRecord[] = []
  const pending: Promise<void>[] = []
  let lastFinished = Date.now()
  const onFinished = (request: Request): void => {
    lastFinished = Date.now()
    // A request still finishing when the page closes cannot be read any more; it is left out.
    pending.push(
      record(request, options.dist).then(
        (r) => void requests.push(r),
        () => undefined,
      ),
    )
  }
  context.on('requestfinished', onFinished)
  const page = await context.newPage()
  try {
    await page.goto(options.url, { waitUntil: 'commit' })
    let joinFormMs: number | null = null
    if (goal.kind === 'editor' && goal.join !== undefined) {
      await page.getByTestId('join-name').waitFor()
      joinFormMs = await page.evaluate(() => performance.now())
      await page.getByTestId('join-name').fill(goal.join.name)
      await page.getByTestId('join-submit').click()
    }
    const interactiveMs =
      goal.kind === 'editor' ? await typeIntoEditor(page, goal.starter) : await loadEnd(page)
    const { timeOrigin, marks } = await page.evaluate(() => ({
      timeOrigin: performance.timeOrigin,
      marks: Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((mark) => mark.name.startsWith('tandem:'))
          .map((mark) => [mark.name.slice('tandem:'.length), Math.round(mark.startTime)]),
      ),
    }))
    if (goal.kind === 'editor') await removeProbeKey(page, goal.starter)
    if (options.idleMs > 0) {
      while (Date.now() - lastFinished < options.idleMs) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    await Promise.all(pending)
    const interactiveAt = timeOrigin + interactiveMs
    const before = requests.filter((r) => r.startedAt <= interactiveAt)
    const scripts = (list: RequestRecord[]): RequestRecord[] =>
      list.filter((r) => r.type === 'script' || new URL(r.url).pathname.endsWith('.js'))
    const fetchedJs = (list: RequestRecord[]): RequestRecord[] =>
      scripts(list).filter((r) => !r.fromCache)
    const gzip = (list: RequestRecord[]): number =>
      fetchedJs(list).reduce((sum, r) => sum + gzippedAssetSize(r.url, options.dist), 0)
    return {
      interactiveMs: round(interactiveMs),
      joinFormMs: joinFormMs === null ? null : round(joinFormMs),
      marks,
      requestsBefore: before.length,
      scriptsBefore: scripts(before).length,
      jsGzipBytesBefore: gzip(before),
      jsWireBytesBefore: fetchedJs(before).reduce((sum, r) => sum + r.wireBytes, 0),
      jsGzipBytesAfterIdle: options.idleMs > 0 ? gzip(requests) : null,
      requestsAfterIdle: options.idleMs > 0 ? requests.length : null,
    }
  } finally {
    context.off('requestfinished', onFinished)
    await page.close()
  }
}

async function record(request: Request, dist: string): Promise<RequestRecord> {
  const response = await request.response()
  const sizes = await request.sizes().catch(() => ({ responseBodySize: 0 }))
  const encoding = (await response?.headerValue('content-encoding')) ?? null
  return {
    url: request.url(),
    type: request.resourceType(),
    startedAt: request.timing().startTime,
    // Chromium reports a cache hit's body as minus its headers' size; a worker's script as 0,
    // which is why the wire size comes from the build's files, by the encoding that was sent.
    fromCache: sizes.responseBodySize < 0,
    wireBytes: request.url().includes('/assets/') ? assetSize(request.url(), dist, encoding) : 0,
  }
}

/**
 * Waits (on every animation frame, in the page) for the bound editor to show `starter`, puts the
 * caret at its start and presses a key; returns when that key is drawn, ms since navigation start.
 */
async function typeIntoEditor(page: Page, starter: string): Promise<number> {
  const shown = await page.waitForFunction(
    (expected) => {
      const host = document.querySelector('[data-testid=editor][data-ready=true]')
      if (host === null || editorLines(host).join('\n') !== expected) return false
      // Monaco takes input in an EditContext element where Chromium has the API, else a textarea.
      host.querySelector('.native-edit-context, textarea')?.focus()
      return true
      // Monaco draws only the lines in view, in any order; spaces come as U+00A0.
      function editorLines(editor: PageElement): string[] {
        const lines = editor.querySelector('.view-lines')
        if (lines === null) return []
        return [...lines.querySelectorAll(':scope > .view-line')]
          .map((line) => ({ top: Number.parseFloat(line.style.top), text: line.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text.replaceAll('\u00a0', ' '))
      }
    },
    starter,
    { polling: 'raf' },
  )
  await shown.dispose()
  await page.keyboard.press(probeKey)
  const drawn = await page.waitForFunction(
    (expected) => {
      const host = document.querySelector('[data-testid=editor]')
      return host !== null && topLine(host) === expected ? performance.now() : false
      // Monaco reuses line nodes in any order: the first line is the one drawn highest.
      function topLine(editor: PageElement): string {
        const lines = [
          ...(editor.querySelector('.view-lines')?.querySelectorAll('.view-line') ?? []),
        ]
        lines.sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
        return (lines[0]?.textContent ?? '').replaceAll('\u00a0', ' ')
      }
    },
    probeKey + firstLine(starter),
    { polling: 'raf' },
  )
  return (await drawn.jsonValue()) as number
}

/** Deletes the probe key and waits until the starter shows again, so the next visit finds it. */
async function removeProbeKey(page: Page, starter: string): Promise<void> {
  await page.keyboard.press('Backspace')
  await page.waitForFunction(
    (expected) => {
      const host = document.querySelector('[data-testid=editor]')
      return host !== null && topLine(host) === expected
      function topLine(editor: PageElement): string {
        const lines = [
          ...(editor.querySelector('.view-lines')?.querySelectorAll('.view-line') ?? []),
        ]
        lines.sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
        return (lines[0]?.textContent ?? '').replaceAll('\u00a0', ' ')
      }
    },
    firstLine(starter),
    { polling: 'raf' },
  )
  // The deletion leaves over the collab socket at once; give it a moment before the page closes.
  await new Promise((resolve) => setTimeout(resolve, 100))
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}

/** For a page without the app: navigation start → the end of its load event, ms. */
async function loadEnd(page: Page): Promise<number> {
  await page.waitForLoadState('load')
  return page.evaluate(() => {
    // Node's types know no `navigation` entries; the page's Performance has them.
    const timeline = performance as unknown as {
      getEntriesByType(type: 'navigation'): { loadEventEnd: number }[]
    }
    const [entry] = timeline.getEntriesByType('navigation')
    return entry?.loadEventEnd ?? performance.now()
  })
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
