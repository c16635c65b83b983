/**
 * TypeScript starter code: the function with TypeScript types, or a stdin skeleton. Runs in the
 * isolated-vm engine after esbuild strips the types (sandbox/js/).
 */
import type { Problem } from '../../../protocol/challenge.ts'
import type { TypeSpec } from '../../../protocol/types.ts'
import { isolateLimits, isolateTimeMultiplier } from '../isolateEngine.ts'
import type { LanguageModule } from '../LanguageModule.ts'

/** `int[]?` → `number[] | null`, `map<string, int>` → `Record<string, number>` */
export function typescriptType(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
    case 'float':
      return 'number'
    case 'bool':
      return 'boolean'
    case 'string':
      return 'string'
    case 'array': {
      const inner = typescriptType(type.of)
      // `number | null[]` would mean something else: a union element needs parentheses.
      return type.of.kind === 'optional' ? `(${inner})[]` : `${inner}[]`
    }
    case 'map':
      return `Record<string, ${typescriptType(type.of)}>`
    case 'optional':
      return `${typescriptType(type.of)} | null`
  }
}

export const typescript: LanguageModule = {
  id: 'typescript',
  engine: {
    kind: 'isolate',
    // esbuild strips the types before the run: that is the compile stage.
    limits: { ...isolateLimits, compileTimeMs: 5_000 },
    timeMultiplier: isolateTimeMultiplier,
  },
  starter(problem: Problem): string {
    if (problem.style === 'stdio') {
      return [
        '// All of standard input, provided by the sandbox (readline() also reads it line by line).',
        'declare const input: string',
        '',
        "const lines: string[] = input.trim().split('\\n')",
        '',
        '// Write the answer to standard output with console.log.',
        '',
      ].join('\n')
    }
    const { signature } = problem
    const params = signature.params
      .map((param) => `${param.name}: ${typescriptType(param.type)}`)
      .join(', ')
    return [
      `function ${signature.function}(${params}): ${typescriptType(signature.returns)} {`,
      '  ',
      '}',
      '',
    ].join('\n')
  },
}
