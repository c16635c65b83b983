/**
 * C++17 starter code: a free function with `long long`, `double`, `vector`, `unordered_map` and
 * `optional`; containers are passed by reference, as on LeetCode (the harness adapts to whatever
 * parameter types the candidate writes). The bubblewrap spec and the harness are in ./cpp/.
 */
import type { Problem } from '../../../protocol/challenge.ts'
import type { TypeSpec } from '../../../protocol/types.ts'
import type { LanguageModule } from '../LanguageModule.ts'
import { cppSpec } from './spec.ts'

/** `map<string, int[]>` → `unordered_map<string, vector<long long>>` */
export function cppType(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
      return 'long long'
    case 'float':
      return 'double'
    case 'bool':
      return 'bool'
    case 'string':
      return 'string'
    case 'array':
      return `vector<${cppType(type.of)}>`
    case 'map':
      return `unordered_map<string, ${cppType(type.of)}>`
    case 'optional':
      return `optional<${cppType(type.of)}>`
  }
}

export const cpp: LanguageModule = {
  id: 'cpp',
  engine: { kind: 'box', spec: cppSpec },
  starter(problem: Problem): string {
    const header = ['#include <bits/stdc++.h>', 'using namespace std;', '']
    if (problem.style === 'stdio') {
      return [
        ...header,
        'int main() {',
        '    ios::sync_with_stdio(false);',
        '    cin.tie(nullptr);',
        '    // Read the input from cin and print the answer.',
        '    return 0;',
        '}',
        '',
      ].join('\n')
    }
    const { signature } = problem
    const params = signature.params
      .map((param) => {
        const byReference = param.type.kind === 'array' || param.type.kind === 'map'
        return `${cppType(param.type)}${byReference ? '&' : ''} ${param.name}`
      })
      .join(', ')
    return [
      ...header,
      `${cppType(signature.returns)} ${signature.function}(${params}) {`,
      '    return {};',
      '}',
      '',
    ].join('\n')
  },
}
