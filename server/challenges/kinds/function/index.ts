/**
 * The function kind, server side: challenge.json names a signature; each test in tests.json gives
 * arguments by parameter name, every one checked against its type, and the expected return value.
 */
import { z } from 'zod'
import type { FunctionProblem } from '../../../../protocol/challenge.ts'
import type { JobTest } from '../../../../protocol/run.ts'
import { checkValue, formatSignature } from '../../../../protocol/types.ts'
import { displayArgs, displayValue } from '../../../../sandbox/index.ts'
import { TandemError } from '../../../errors.ts'
import { challengeCommon, identifier, testCommon, typeString } from '../../ChallengeFiles.ts'
import type { ServerKind } from '../ServerKind.ts'

export const FunctionChallengeJson = z
  .object({
    ...challengeCommon,
    style: z.literal('function'),
    signature: z
      .object({
        function: identifier,
        params: z
          .array(z.object({ name: identifier, type: typeString }).strict())
          .max(8)
          .refine(
            (ps) => new Set(ps.map((p) => p.name)).size === ps.length,
            'parameter names must differ',
          ),
        returns: typeString,
      })
      .strict(),
    compare: z
      .object({
        unordered: z.boolean().default(false),
        floatTolerance: z.number().min(0).max(1).default(1e-6),
      })
      .strict()
      .default({ unordered: false, floatTolerance: 1e-6 }),
  })
  .strict()
export type FunctionChallengeJson = z.infer<typeof FunctionChallengeJson>

export const FunctionTestJson = z
  .object({
    ...testCommon,
    /** Arguments by parameter name. */
    input: z.record(z.string(), z.unknown()),
    expected: z.unknown(),
  })
  .strict()

export const functionKind: ServerKind<FunctionProblem, FunctionChallengeJson> = {
  name: 'function',
  meta: FunctionChallengeJson,

  parse(meta, { rawTests, read }) {
    const problem: FunctionProblem = {
      style: 'function',
      signature: meta.signature,
      compare: meta.compare,
    }
    const { params, returns } = problem.signature
    const tests = rawTests.map((raw, i): JobTest => {
      const field = `tests.${i}`
      const t = read.parse(FunctionTestJson, raw, { file: 'tests.json', prefix: field })
      for (const name of Object.keys(t.input)) {
        if (!params.some((p) => p.name === name))
          read.fail('tests.json', `${field}.input.${name}`, 'no such parameter')
      }
      const args = params.map((param) => {
        if (!Object.hasOwn(t.input, param.name))
          read.fail('tests.json', `${field}.input`, `missing argument "${param.name}"`)
        const value = t.input[param.name]
        const misfit = checkValue(param.type, value, param.name)
        if (misfit !== null) read.fail('tests.json', `${field}.input.${param.name}`, misfit)
        return value
      })
      const misfit = checkValue(returns, t.expected ?? null, 'expected')
      if (misfit !== null) read.fail('tests.json', `${field}.expected`, misfit)
      return {
        id: t.id ?? `t${i + 1}`,
        name: t.name,
        hidden: t.hidden,
        input: { args },
        expected: t.expected ?? null,
      }
    })
    return { problem, tests }
  },

  describe(problem) {
    return { signature: formatSignature(problem.signature), call: problem.signature }
  },

  view(problem, test) {
    const args = 'args' in test.input ? test.input.args : []
    return {
      input: displayArgs(problem.signature.params, args),
      expected: displayValue(test.expected),
      args,
    }
  },

  customInput(problem, payload) {
    const { params } = problem.signature
    const args = payload.args ?? []
    if (args.length !== params.length) {
      throw new TandemError(
        'bad_request',
        `Custom input needs ${params.length} arguments (${params.map((p) => p.name).join(', ')}).`,
      )
    }
    params.forEach((param, i) => {
      const misfit = checkValue(param.type, args[i], param.name)
      if (misfit !== null) throw new TandemError('bad_request', `Custom input: ${misfit}`)
    })
    return { args }
  },
}
