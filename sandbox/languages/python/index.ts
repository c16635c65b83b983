/**
 * Python 3 starter code: a snake_case function with type hints (the harness also accepts the
 * camelCase name, and a LeetCode-style `class Solution` method). The bubblewrap spec and the
 * harness are in ./python/.
 */
import type { Problem } from '../../../protocol/challenge.ts'
import type { TypeSpec } from '../../../protocol/types.ts'
import { snakeCase } from '../naming.ts'
import type { LanguageModule } from '../LanguageModule.ts'
import { pythonSpec } from './spec.ts'

/** `int[]?` → `list[int] | None` */
export function pythonType(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
    case 'float':
    case 'bool':
      return type.kind
    case 'string':
      return 'str'
    case 'array':
      return `list[${pythonType(type.of)}]`
    case 'map':
      return `dict[str, ${pythonType(type.of)}]`
    case 'optional':
      return `${pythonType(type.of)} | None`
  }
}

export const python: LanguageModule = {
  id: 'python',
  engine: { kind: 'box', spec: pythonSpec },
  starter(problem: Problem): string {
    if (problem.style === 'stdio') {
      return [
        'import sys',
        '',
        '',
        'def main() -> None:',
        '    data = sys.stdin.read().split()',
        '    # Read the input from data and print the answer.',
        '',
        '',
        'if __name__ == "__main__":',
        '    main()',
        '',
      ].join('\n')
    }
    const { signature } = problem
    const params = signature.params
      .map((param) => `${snakeCase(param.name)}: ${pythonType(param.type)}`)
      .join(', ')
    return [
      `def ${snakeCase(signature.function)}(${params}) -> ${pythonType(signature.returns)}:`,
      '    pass',
      '',
    ].join('\n')
  },
}
