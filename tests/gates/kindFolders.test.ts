/**
 * Challenge kinds as a registry (issue 14 B.4), sandbox side: function vs stdio used to be
 * switched on inside the box engine and its run code. Each kind is now `sandbox/kinds/<kind>/`
 * (index.ts, box.ts, judge.ts), registered once by its style; these tests fail when a kind's
 * piece lands outside its folder or a style of the protocol has no folder.
 */
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Problem } from '../../protocol/challenge.ts'
import { sandboxKinds } from '../../sandbox/kinds/index.ts'

const kindsDir = fileURLToPath(new URL('../../sandbox/kinds/', import.meta.url))
const styles = Problem.options.map((option) => option.shape.style.value).sort()

describe('one kind, one folder', () => {
  it('registers every problem style of the protocol once, under its own name', () => {
    expect(Object.keys(sandboxKinds).sort()).toEqual(styles)
    for (const [name, kind] of Object.entries(sandboxKinds)) expect(kind.name).toBe(name)
  })

  it('gives each kind a folder with its box runner and its judge, and nothing beside them but the registry', async () => {
    const entries = await readdir(kindsDir, { withFileTypes: true })
    expect(
      entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual(styles)
    expect(
      entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
    ).toEqual(['SandboxKind.ts', 'index.ts'])
    for (const style of styles) {
      const files = (await readdir(new URL(style, `file://${kindsDir}`))).sort()
      expect({ style, files }).toEqual({ style, files: ['box.ts', 'index.ts', 'judge.ts'] })
    }
  })
})
