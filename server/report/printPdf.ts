/**
 * report.pdf: the report's HTML printed by a headless Chromium, where one is installed. Without
 * one the report says why (`availability`), and the web app's button says the same.
 *
 * The HTML is Tandem's own rendering with every candidate-written text escaped, and it carries a
 * CSP that runs no script and loads nothing; Chromium additionally gets a proxy that leads nowhere
 * (no network) and a throwaway profile. (`--blink-settings=scriptEnabled=false` would be a second
 * lock on scripts, but with it Chromium 156 prints nothing.) One print at a time, so exports cannot crowd out runs.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TandemError } from '../errors.ts'

export interface PdfPrinter {
  availability(): { available: boolean; reason?: string }
  print(html: string): Promise<Buffer>
}

/** Where Debian, Ubuntu and the usual packages put Chromium, tried in order when none is set. */
const knownChromiums = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

const printTimeoutMs = 60_000
const run = promisify(execFile)

/** The Chromium to print with: `configured` (CHROMIUM_PATH) when set, else the first one found. */
export function findChromium(configured: string | undefined): string | null {
  if (configured !== undefined && configured !== '')
    return existsSync(configured) ? configured : null
  return knownChromiums.find((candidate) => existsSync(candidate)) ?? null
}

export function chromiumPrinter(configured: string | undefined): PdfPrinter {
  const chromium = findChromium(configured)
  let queue: Promise<unknown> = Promise.resolve()
  return {
    availability: () =>
      chromium !== null
        ? { available: true }
        : {
            available: false,
            reason:
              configured !== undefined && configured !== ''
                ? `PDF export needs Chromium: CHROMIUM_PATH (${configured}) does not exist on the server.`
                : 'PDF export needs Chromium on the server (install it, or set CHROMIUM_PATH); export HTML and print it from a browser instead.',
          },
    print: (html) => {
      if (chromium === null) {
        throw new TandemError(
          'unavailable',
          'PDF export is not available: no Chromium on the server.',
        )
      }
      const job = queue.then(() => printWith(chromium, html))
      queue = job.catch(() => undefined)
      return job
    },
  }
}

async function printWith(chromium: string, html: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-pdf-'))
  try {
    const input = path.join(dir, 'report.html')
    const output = path.join(dir, 'report.pdf')
    await writeFile(input, html)
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-extensions',
        '--proxy-server=127.0.0.1:9',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${output}`,
        `file://${input}`,
      ],
      { timeout: printTimeoutMs, maxBuffer: 1024 * 1024 },
    )
    return await readFile(output)
  } catch (error) {
    throw new TandemError('internal', `Chromium could not print the report: ${String(error)}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
