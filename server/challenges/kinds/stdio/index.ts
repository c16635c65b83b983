/**
 * The stdio kind, server side: challenge.json says how stdout is compared; each test in tests.json
 * is a stdin and the stdout expected.
 */
import { z } from 'zod'
import type { StdioProblem } from '../../../../protocol/challenge.ts'
import type { JobTest } from '../../../../protocol/run.ts'
import { displayText } from '../../../../sandbox/index.ts'
import { challengeCommon, testCommon } from '../../ChallengeFiles.ts'
import { normaliseLineEndings } from '../../ChallengeFileReader.ts'
import type { ServerKind } from '../ServerKind.ts'

export const StdioChallengeJson = z
  .object({
    ...challengeCommon,
    style: z.literal('stdio'),
    compare: z
      .object({
        mode: z.enum(['exact', 'whitespace', 'tokens']).default('whitespace'),
        floatTolerance: z.number().min(0).max(1).default(1e-6),
      })
      .strict()
      .default({ mode: 'whitespace', floatTolerance: 1e-6 }),
  })
  .strict()
export type StdioChallengeJson = z.infer<typeof StdioChallengeJson>

export const StdioTestJson = z
  .object({
    ...testCommon,
    stdin: z.string().max(1_000_000),
    stdout: z.string().max(1_000_000),
  })
  .strict()

export const stdioKind: ServerKind<StdioProblem, StdioChallengeJson> = {
  name: 'stdio',
  meta: StdioChallengeJson,

  parse(meta, { rawTests, read }) {
    const tests = rawTests.map((raw, i): JobTest => {
      const t = read.parse(StdioTestJson, raw, { file: 'tests.json', prefix: `tests.${i}` })
      return {
        id: t.id ?? `t${i + 1}`,
        name: t.name,
        hidden: t.hidden,
        input: { stdin: normaliseLineEndings(t.stdin) },
        expected: normaliseLineEndings(t.stdout),
      }
    })
    return { problem: { style: 'stdio', compare: meta.compare }, tests }
  },

  describe() {
    return {}
  },

  view(_problem, test) {
    return {
      input: displayText('stdin' in test.input ? test.input.stdin : ''),
      expected: displayText(typeof test.expected === 'string' ? test.expected : ''),
    }
  },

  customInput(_problem, payload) {
    return { stdin: normaliseLineEndings(payload.stdin ?? '') }
  },
}
