/**
 * What the web build ships. protocol/'s modules define zod schemas beside the constants the app
 * imports (language facts, close codes, verdict labels); the app must get the constants only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureWebBuild, projectRoot } from './browser.ts'

const assets = path.join(projectRoot, 'web', 'dist', 'assets')

beforeAll(() => ensureWebBuild())

describe('the web build', () => {
  // Regression: once protocol/ became schema-first, importing `verdictLabels` or `languageFacts`
  // pulled all of zod into the page (about 25 KB gzipped in the first chunk, 15 KB more in the
  // room's), because building a schema looked like a side effect to the bundler. Calls on `z` are
  // declared pure in web/vite.config.ts, and schema arguments are kept free of spreads.
  it('ships none of zod, though the app imports protocol/ modules that define schemas', () => {
    const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    const withZod = scripts.filter((file) =>
      /\$ZodType|_zod\b/.test(readFileSync(path.join(assets, file), 'utf8')),
    )
    expect(withZod).toEqual([])
  })
})
