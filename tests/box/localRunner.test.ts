/**
 * The process languages as the server reaches them: through LocalRunner, its sandbox process,
 * the scheduler and sandbox/engines.ts, to the bubblewrap engine.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { RunnerEvent } from '../../protocol/run.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { loadChallenge } from '../../server/challenges/loadChallenges.ts'
import { makeJob, testCacheDir } from './boxTestKit.ts'

let runner: LocalRunner

beforeAll(() => {
  runner = new LocalRunner({ concurrency: 2, env: { TANDEM_BOX_CACHE_DIR: testCacheDir } })
})

afterAll(async () => {
  await runner.close()
})

describe('process languages through the local runner', () => {
  it('lists Python, Java, C++ and Go as available with their versions', async () => {
    const languages = await runner.languages()
    for (const id of ['python', 'java', 'cpp', 'go']) {
      const info = languages.find((l) => l.id === id)
      expect(info, id).toMatchObject({ available: true })
      expect(info?.version).toMatch(/\d+\.\d+/)
    }
  })

  it.each([
    ['python', 'py'],
    ['go', 'go'],
  ] as [LanguageId, string][])(
    'streams a %s two-sum run to its exit',
    async (language, extension) => {
      const challenge = await loadChallenge(
        new URL('../../challenges', import.meta.url).pathname,
        'two-sum',
      )
      const source = await readFile(
        new URL(`../../challenges/two-sum/solutions/solution.${extension}`, import.meta.url),
        'utf8',
      )
      const job = makeJob({
        language,
        source,
        problem: challenge.problem,
        tests: challenge.tests.map((t) => ({
          hidden: t.hidden,
          ...('args' in t.input ? { args: t.input.args } : {}),
          expected: t.expected,
        })),
      })
      const events: RunnerEvent[] = []
      for await (const event of runner.run(job)) events.push(event)
      const kinds = events.map((e) => (e.type === 'stage' ? `stage:${e.stage}` : e.type))
      expect(kinds.filter((k) => k !== 'queued')).toEqual([
        'stage:preparing',
        ...(language === 'python' ? [] : ['stage:compiling']),
        'stage:running',
        ...challenge.tests.map(() => 'test'),
        'exit',
      ])
      const exit = events.at(-1)
      expect(exit?.type === 'exit' && exit.summary).toMatchObject({ verdict: 'passed' })
    },
  )
})
