/**
 * Go starter code: `package main` and a function with int, float64, slices and maps; an optional
 * scalar is a pointer, an optional slice or map is the slice or map itself (nil is null). The
 * bubblewrap spec and the harness are in ./go/.
 */
import type { Problem } from '../../../protocol/challenge.ts'
import type { TypeSpec } from '../../../protocol/types.ts'
import type { LanguageModule } from '../LanguageModule.ts'
import { goSpec } from './spec.ts'

/** `int?` → `*int`; `int[]?` → `[]int`; `map<string, float>` → `map[string]float64` */
export function goType(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
    case 'bool':
    case 'string':
      return type.kind
    case 'float':
      return 'float64'
    case 'array':
      return `[]${goType(type.of)}`
    case 'map':
      return `map[string]${goType(type.of)}`
    case 'optional':
      return type.of.kind === 'array' || type.of.kind === 'map'
        ? goType(type.of)
        : `*${goType(type.of)}`
  }
}

function goZero(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
    case 'float':
      return '0'
    case 'bool':
      return 'false'
    case 'string':
      return '""'
    case 'array':
    case 'map':
    case 'optional':
      return 'nil'
  }
}

export const go: LanguageModule = {
  id: 'go',
  engine: { kind: 'box', spec: goSpec },
  starter(problem: Problem): string {
    if (problem.style === 'stdio') {
      return [
        'package main',
        '',
        'import (',
        '\t"bufio"',
        '\t"fmt"',
        '\t"os"',
        ')',
        '',
        'func main() {',
        '\tin := bufio.NewReader(os.Stdin)',
        '\tout := bufio.NewWriter(os.Stdout)',
        '\tdefer out.Flush()',
        '',
        '\t// Read the input from in and print the answer to out.',
        '\tvar n int',
        '\tfmt.Fscan(in, &n)',
        '\tfmt.Fprintln(out, n)',
        '}',
        '',
      ].join('\n')
    }
    const { signature } = problem
    const params = signature.params.map((param) => `${param.name} ${goType(param.type)}`).join(', ')
    return [
      'package main',
      '',
      `func ${signature.function}(${params}) ${goType(signature.returns)} {`,
      `\treturn ${goZero(signature.returns)}`,
      '}',
      '',
    ].join('\n')
  },
}
