/**
 * JavaScript starter code: the function with its types in JSDoc (which the editor understands),
 * or a stdin skeleton. Runs in the isolated-vm engine (sandbox/js/).
 */
import type { Problem } from '../../../protocol/challenge.ts'
import { isolateLimits, isolateTimeMultiplier } from '../isolateEngine.ts'
import type { LanguageModule } from '../LanguageModule.ts'
import { typescriptType } from '../typescript/index.ts'

export const javascript: LanguageModule = {
  id: 'javascript',
  engine: { kind: 'isolate', limits: isolateLimits, timeMultiplier: isolateTimeMultiplier },
  starter(problem: Problem): string {
    if (problem.style === 'stdio') {
      return [
        '// All of standard input is in `input` (readline() also reads it line by line).',
        "const lines = input.trim().split('\\n')",
        '',
        '// Write the answer to standard output with console.log.',
        '',
      ].join('\n')
    }
    const { signature } = problem
    // JSDoc takes TypeScript's type syntax.
    return [
      '/**',
      ...signature.params.map((param) => ` * @param {${typescriptType(param.type)}} ${param.name}`),
      ` * @return {${typescriptType(signature.returns)}}`,
      ' */',
      `function ${signature.function}(${signature.params.map((p) => p.name).join(', ')}) {`,
      '  ',
      '}',
      '',
    ].join('\n')
  },
}
