/**
 * Chromium for browser tests: the machine's own /usr/bin/chromium driven by playwright-core (no
 * downloaded browsers), one fresh context per participant so cookies and localStorage are theirs
 * alone, console errors collected per page, and a `close()` that takes everything down.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core'

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const webDist = path.join(projectRoot, 'web', 'dist')
const screenshotDir = path.join(projectRoot, 'docs', 'screenshots')

/** The screenshots' size, and every participant's window, in CSS pixels. */
export const viewport = { width: 1280, height: 800 } as const

/** How long a Playwright wait or action may take before it fails, ms (vitest's test timeout is 30 s). */
const actionTimeoutMs = 15_000

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** One person's browser window: a context of their own and its page. */
export interface Participant {
  context: BrowserContext
  page: Page
  /** Console errors and uncaught exceptions, minus the expected ones (see isExpectedConsoleError). */
  errors: string[]
}

export interface ParticipantOptions {
  /** The server's origin; permissions are granted to it. */
  origin: string
  /** Lets the page read and write the clipboard (copy buttons, pasting code into Monaco). */
  clipboard?: boolean
}

export class BrowserHarness {
  readonly browser: Browser
  readonly #contexts: BrowserContext[] = []

  private constructor(browser: Browser) {
    this.browser = browser
  }

  static async launch(): Promise<BrowserHarness> {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs,
    })
    return new BrowserHarness(browser)
  }

  /** A new window with empty storage, as a different person on a different machine would have. */
  async participant(options: ParticipantOptions): Promise<Participant> {
    const context = await this.browser.newContext({ viewport, deviceScaleFactor: 1 })
    this.#contexts.push(context)
    // Below the test timeout, so a wait that fails says which element it waited for.
    context.setDefaultTimeout(actionTimeoutMs)
    if (options.clipboard === true) {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: options.origin,
      })
    }
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' && !isExpectedConsoleError(message)) {
        errors.push(`${message.text()} (${message.location().url})`)
      }
    })
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`))
    return { context, page, errors }
  }

  /** Closes every participant's context, then the browser, even when a context fails to close. */
  async close(): Promise<void> {
    try {
      await Promise.all(this.#contexts.splice(0).map((context) => context.close()))
    } finally {
      await this.browser.close()
    }
  }
}

/**
 * Errors a healthy page still logs. Chromium prints "Failed to load resource" for every HTTP
 * error a fetch receives, even one the app expects and handles: the lobby asks `/api/me` who is
 * signed in, and a signed-out visitor gets 401 by design.
 */
export function isExpectedConsoleError(message: ConsoleMessage): boolean {
  const text = message.text()
  if (!text.startsWith('Failed to load resource')) return false
  const { pathname } = new URL(message.location().url || 'about:blank')
  return pathname === '/api/me' && text.includes('status of 401')
}

/** Writes a screenshot of `page` to docs/screenshots/<name>.png, overwriting the previous one. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' })
}

export interface WebBuildOptions {
  /** Vite config, relative to the project root. Default: `web/vite.config.ts`. */
  config?: string
  /** Output directory (absolute). Default: web/dist. */
  outDir?: string
  /** More files or folders the build depends on, beyond web/ and protocol/ (e.g. its config). */
  sources?: string[]
}

/**
 * Builds web/dist (or `outDir`) when it is missing or older than any source it is built from.
 * `npm test` has built web/dist already, so this costs nothing there; it makes `npx vitest run
 * tests/browser` honest after an edit to web/ or protocol/. The web benchmark builds its naive
 * baseline with it too.
 */
export async function ensureWebBuild(options: WebBuildOptions = {}): Promise<void> {
  const config = options.config ?? 'web/vite.config.ts'
  const outDir = options.outDir ?? webDist
  const index = path.join(outDir, 'index.html')
  const sources = [
    path.join(projectRoot, 'web', 'src'),
    path.join(projectRoot, 'web', 'index.html'),
    path.join(projectRoot, 'web', 'vite.config.ts'),
    path.join(projectRoot, 'protocol'),
    path.join(projectRoot, config),
    ...(options.sources ?? []),
  ]
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return
  const vite = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js')
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    // Under vitest NODE_ENV is `test`, which would make Vite bundle React's development build.
    { cwd: projectRoot, env: { ...process.env, NODE_ENV: 'production' } },
  )
}

function newestMtime(file: string): number {
  const stat = statSync(file)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(file))
    newest = Math.max(newest, newestMtime(path.join(file, entry)))
  return newest
}
