/**
 * Challenge kinds as a registry (issue 14 B.4): function vs stdio used to be switched on inside
 * the box engine, its run code, the problem pane and the custom-input form. Each kind is now a
 * folder per layer — `server/challenges/kinds/<kind>/` (its part of challenge.json and
 * tests.json, the room's view of a test, the custom-input check), `sandbox/kinds/<kind>/`
 * (index.ts, box.ts, js.ts, judge.ts) and `web/src/kinds/<kind>/` (index.ts, CustomInput.tsx) —
 * registered once by its style. These tests fail when a kind's piece lands outside its folder or
 * a style of the protocol has no folder.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Problem } from '../../protocol/challenge.ts'
import { sandboxKinds } from '../../sandbox/kinds/index.ts'
import { serverKinds } from '../../server/challenges/kinds/index.ts'

const kindsDir = fileURLToPath(new URL('../../sandbox/kinds/', import.meta.url))
const webKindsDir = fileURLToPath(new URL('../../web/src/kinds/', import.meta.url))
const serverKindsDir = fileURLToPath(new URL('../../server/challenges/kinds/', import.meta.url))
const styles = Problem.options.map((option) => option.shape.style.value).sort()

describe('one kind, one folder', () => {
  it('registers every problem style of the protocol once, under its own name', () => {
    expect(Object.keys(sandboxKinds).sort()).toEqual(styles)
    for (const [name, kind] of Object.entries(sandboxKinds)) expect(kind.name).toBe(name)
  })

  it('gives each kind a sandbox folder with its box runner, its JS part and its judge, and nothing beside them but the registry', async () => {
    const layout = await kindLayout(kindsDir)
    expect(layout.loose).toEqual(['SandboxKind.ts', 'index.ts'])
    expect(layout.folders).toEqual(
      styles.map((style) => ({ style, files: ['box.ts', 'index.ts', 'js.ts', 'judge.ts'] })),
    )
  })

  it('gives every kind both engines: a box runner and a JS part with its test loop, prelude setting and judge', () => {
    for (const kind of Object.values(sandboxKinds)) {
      expect(typeof kind.runInBoxes).toBe('function')
      expect(kind.js).toEqual(
        expect.objectContaining({
          harnessFunction: expect.any(Function) as unknown,
          exitEndsProgram: expect.any(Boolean) as unknown,
          runTests: expect.any(Function) as unknown,
          deriveKey: expect.any(Function) as unknown,
          derive: expect.any(Function) as unknown,
          judge: expect.any(Function) as unknown,
        }),
      )
    }
  })

  // The JS engine used to branch on `problem.style` in its test loops, its judging and its
  // prelude settings: a new kind had to edit it. It now looks the kind up and asks it.
  it('keeps the JS engine free of kind branches: nothing in sandbox/js/ reads a problem style', async () => {
    const jsDir = fileURLToPath(new URL('../../sandbox/js/', import.meta.url))
    for (const name of await readdir(jsDir)) {
      const source = await readFile(path.join(jsDir, name), 'utf8')
      expect({ name, branches: source.match(/\.style\b|'stdio'/g) ?? [] }).toEqual({
        name,
        branches: [],
      })
    }
  })

  it('gives each kind a server folder (its challenge.json part, tests, view, custom input), registered under its name', async () => {
    expect(Object.keys(serverKinds).sort()).toEqual(styles)
    for (const [name, kind] of Object.entries(serverKinds)) expect(kind.name).toBe(name)
    const layout = await kindLayout(serverKindsDir)
    expect(layout.loose).toEqual(['ServerKind.ts', 'index.ts'])
    expect(layout.folders).toEqual(styles.map((style) => ({ style, files: ['index.ts'] })))
  })

  // The web registry is a Record over ChallengeView's styles: web's typecheck refuses a missing one.
  it('gives each kind a web folder with its custom-input form', async () => {
    const layout = await kindLayout(webKindsDir)
    expect(layout.loose).toEqual(['CustomRunForm.tsx', 'WebKind.ts', 'index.ts'])
    expect(layout.folders).toEqual(
      styles.map((style) => ({
        style,
        files: expect.arrayContaining(['CustomInput.tsx', 'index.ts']) as string[],
      })),
    )
  })
})

/** The files beside the kind folders, and each folder's files, sorted. */
async function kindLayout(
  dir: string,
): Promise<{ loose: string[]; folders: { style: string; files: string[] }[] }> {
  const entries = await readdir(dir, { withFileTypes: true })
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  return {
    loose: entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort(),
    folders: await Promise.all(
      folders.map(async (style) => ({
        style,
        files: (await readdir(path.join(dir, style))).sort(),
      })),
    ),
  }
}
