/**
 * Java starter code: `class Solution` with a static method (an instance method works too: the
 * harness finds either by reflection). int is `long`, float `double`; arrays are Java arrays
 * unless their elements are generic (maps), which makes them `List`s; optionals are boxed types.
 * The bubblewrap spec and the harness are in ./java/.
 */
import type { Problem } from '../../../protocol/challenge.ts'
import type { TypeSpec } from '../../../protocol/types.ts'
import type { LanguageModule } from '../LanguageModule.ts'
import { javaSpec } from './spec.ts'

/** A Java array cannot hold a generic type without warnings, so those arrays become Lists. */
function isGeneric(type: TypeSpec): boolean {
  return (
    type.kind === 'map' ||
    ((type.kind === 'array' || type.kind === 'optional') && isGeneric(type.of))
  )
}

/** `int[]` → `long[]`; `map<string, int>` → `Map<String, Long>`; `int?` → `Long`. */
export function javaType(type: TypeSpec, boxed = false): string {
  switch (type.kind) {
    case 'int':
      return boxed ? 'Long' : 'long'
    case 'float':
      return boxed ? 'Double' : 'double'
    case 'bool':
      return boxed ? 'Boolean' : 'boolean'
    case 'string':
      return 'String'
    case 'optional':
      return javaType(type.of, true)
    case 'array':
      return isGeneric(type.of) ? `List<${javaType(type.of, true)}>` : `${javaType(type.of)}[]`
    case 'map':
      return `Map<String, ${javaType(type.of, true)}>`
  }
}

/** A value of the type that compiles: the starter runs (and fails its tests) as written. */
function javaDefault(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
      return '0'
    case 'float':
      return '0.0'
    case 'bool':
      return 'false'
    case 'string':
      return '""'
    case 'optional':
      return 'null'
    case 'map':
      return 'new HashMap<>()'
    case 'array': {
      if (isGeneric(type.of)) return 'new ArrayList<>()'
      const javaArray = javaType(type)
      return `new ${javaArray.replace('[]', '[0]')}`
    }
  }
}

export const java: LanguageModule = {
  id: 'java',
  engine: { kind: 'box', spec: javaSpec },
  starter(problem: Problem): string {
    if (problem.style === 'stdio') {
      return [
        'import java.io.*;',
        'import java.util.*;',
        '',
        'public class Main {',
        '    public static void main(String[] args) throws IOException {',
        '        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));',
        '        // Read the input from in and print the answer.',
        '    }',
        '}',
        '',
      ].join('\n')
    }
    const { signature } = problem
    const params = signature.params
      .map((param) => `${javaType(param.type)} ${param.name}`)
      .join(', ')
    return [
      'import java.util.*;',
      '',
      'class Solution {',
      `    public static ${javaType(signature.returns)} ${signature.function}(${params}) {`,
      `        return ${javaDefault(signature.returns)};`,
      '    }',
      '}',
      '',
    ].join('\n')
  },
}
