/**
 * One language, one folder (issue 14 B.6): a language used to live in five places (facts, a
 * starter file beside its folder, the box spec, a registration list in BoxEngine, the JS limits in
 * JsEngine). Now each is `sandbox/languages/<id>/`, registered once, and both engines read that
 * registry; these tests fail when a language grows a piece outside its folder again.
 */
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LanguageIds } from '../../protocol/languages.ts'
import { defaultBoxSpecs } from '../../sandbox/box/BoxEngine.ts'
import { boxSpecs, defaultLimits, languageModules } from '../../sandbox/languages/index.ts'

const languagesDir = fileURLToPath(new URL('../../sandbox/languages/', import.meta.url))

describe('one language, one folder', () => {
  it('registers every language id of the protocol once, under its own id', () => {
    expect(Object.keys(languageModules).sort()).toEqual([...LanguageIds].sort())
    for (const id of LanguageIds) expect(languageModules[id].id).toBe(id)
  })

  it('keeps no language file outside its folder', async () => {
    const entries = await readdir(languagesDir, { withFileTypes: true })
    const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name)
    expect(folders.sort()).toEqual([...LanguageIds].sort())
    const files = entries.filter((e) => e.isFile()).map((e) => e.name)
    // Only the registry and what languages share may sit beside the folders.
    expect(files.sort()).toEqual(['LanguageModule.ts', 'index.ts', 'isolateEngine.ts', 'naming.ts'])
  })

  it('gives the box engine exactly the process languages of the registry', () => {
    const boxIds = LanguageIds.filter((id) => languageModules[id].engine.kind === 'box')
    expect(defaultBoxSpecs.map((spec) => spec.id)).toEqual(boxIds)
    expect(boxSpecs).toBe(defaultBoxSpecs)
  })

  it('answers default limits for every language, from the folder that owns them', () => {
    for (const id of LanguageIds) {
      const limits = defaultLimits(id)
      expect(limits.cpuTimeMs).toBeGreaterThan(0)
      expect(limits.cpuTimeMs).toBeLessThanOrEqual(limits.wallTimeMs)
    }
    expect(defaultLimits('typescript').compileTimeMs).toBe(5_000)
    expect(defaultLimits('javascript').compileTimeMs).toBeUndefined()
  })
})
