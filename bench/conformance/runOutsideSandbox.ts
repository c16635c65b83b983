/**
 * The control experiment: runs a conformance program with the plain toolchain on the host, no
 * sandbox, no limits but a timeout. Where the sandbox and this disagree, the runner is suspect;
 * where they agree on a failure, the data is. Used only by `npm run conformance --
 * --compare-outside`: it runs the datasets' code unsandboxed, which is acceptable for this public
 * benchmark data on a development machine and for nothing else.
 *
 * The toolchains and flags are the sandbox's own (the same python3, g++ flags, javac classpath,
 * `java -ea`), so a disagreement points at the sandbox, not at a different compiler.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ConformanceLanguage } from './ConformanceCase.ts'

export interface OutsideResult {
  passed: boolean
  /** The first lines of what the toolchain printed when it did not pass. */
  detail?: string
}

/** Wall-clock cap of each step (compile, run), ms: generous, since this is not the runner. */
const stepTimeoutMs = 60_000
const javatuples = '/usr/share/java/javatuples.jar'

/**
 * Node's console.assert only prints; CodeGeeX's harness fails a program that prints to stderr.
 * This preload fails it through the exit code instead, and keeps the message.
 */
const assertPreload = `'use strict'
const original = console.assert.bind(console)
console.assert = (condition, ...rest) => {
  if (!condition) process.exitCode = 1
  original(condition, ...rest)
}
`

export async function runOutsideSandbox(
  language: ConformanceLanguage,
  source: string,
): Promise<OutsideResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-conformance-'))
  try {
    const step = (command: string, args: string[]): Promise<OutsideResult> =>
      run(command, args, dir)
    switch (language) {
      case 'python':
        await writeFile(path.join(dir, 'main.py'), source)
        return await step('/usr/bin/python3', ['-B', 'main.py'])
      case 'javascript':
      case 'typescript': {
        const file = language === 'javascript' ? 'main.cjs' : 'main.cts'
        await writeFile(path.join(dir, file), source)
        await writeFile(path.join(dir, 'preload.cjs'), assertPreload)
        return await step(process.execPath, ['--require', './preload.cjs', file])
      }
      case 'cpp': {
        await writeFile(path.join(dir, 'main.cpp'), source)
        const flags = ['-std=c++17', '-O2', '-D_GLIBCXX_ASSERTIONS', '-include', 'bits/stdc++.h']
        const compiled = await step('/usr/bin/g++', [...flags, '-o', 'prog', 'main.cpp'])
        return compiled.passed ? await step(path.join(dir, 'prog'), []) : compiled
      }
      case 'go': {
        await writeFile(path.join(dir, 'main.go'), source)
        const compiled = await step('/usr/bin/go', ['build', '-o', 'prog', 'main.go'])
        return compiled.passed ? await step(path.join(dir, 'prog'), []) : compiled
      }
      case 'java': {
        const publicClass = /\bpublic\s+(?:final\s+)?class\s+(\w+)/.exec(source)?.[1]
        await writeFile(path.join(dir, `${publicClass ?? 'Main'}.java`), source)
        const compiled = await step('javac', [
          '-cp',
          javatuples,
          '-d',
          '.',
          `${publicClass ?? 'Main'}.java`,
        ])
        if (!compiled.passed) return compiled
        return await step('java', ['-ea', '-cp', `.:${javatuples}`, mainClassOf(source)])
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The class that declares `main`: the last class declared before it. */
function mainClassOf(source: string): string {
  const main = source.search(/\bstatic\s+void\s+main\s*\(/)
  const classes = [...source.slice(0, Math.max(0, main)).matchAll(/\bclass\s+(\w+)/g)]
  return classes.at(-1)?.[1] ?? 'Main'
}

function run(command: string, args: string[], cwd: string): Promise<OutsideResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: stepTimeoutMs,
        maxBuffer: 16 << 20,
        env: {
          PATH: '/usr/bin:/bin',
          HOME: cwd,
          LANG: 'C.UTF-8',
          GO111MODULE: 'off',
          GOCACHE: path.join(os.tmpdir(), 'tandem-conformance-gocache'),
        },
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ passed: true })
          return
        }
        const timedOut = error.killed && error.signal === 'SIGTERM'
        const text = timedOut
          ? `timed out after ${stepTimeoutMs / 1000} s`
          : `${stderr}\n${stdout}`.trim() || error.message
        resolve({ passed: false, detail: text.split('\n').slice(0, 8).join('\n').slice(0, 600) })
      },
    )
  })
}
