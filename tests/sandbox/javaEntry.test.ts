/**
 * Which file a stdio Java program is saved as and which class `java` starts: a candidate's
 * `class Solution { public static void main… }` (no `public` on the class) must run, not fail
 * with ClassNotFoundException for a `Main` nobody wrote.
 */
import { describe, expect, it } from 'vitest'
import { javaEntry } from '../../sandbox/languages/java/spec.ts'

describe('javaEntry', () => {
  it('saves a public class under its own name and starts it', () => {
    const source =
      'import java.util.*;\npublic class Answer {\n  public static void main(String[] a) {}\n}\n'
    expect(javaEntry(source)).toEqual({ fileClass: 'Answer', mainClass: 'Answer' })
  })

  it('starts a non-public top-level class that declares main', () => {
    const source = [
      'class Helper { static int twice(int x) { return 2 * x; } }',
      'class Problem {',
      '  static class Nested { void run() {} }',
      '  public static void main(String[] args) { System.out.println(Helper.twice(2)); }',
      '}',
    ].join('\n')
    expect(javaEntry(source)).toEqual({ fileClass: 'Main', mainClass: 'Problem' })
  })

  it('is not fooled by class or main in comments and strings', () => {
    const source = [
      '// class Decoy { static void main(String[] a) {} }',
      'class Real {',
      '  static String s = "class Fake { static void main( {";',
      '  public static void main(String[] args) {}',
      '}',
    ].join('\n')
    expect(javaEntry(source)).toEqual({ fileClass: 'Main', mainClass: 'Real' })
  })

  it('falls back to Main when nothing declares main, so javac or java reports it', () => {
    expect(javaEntry('class Nothing {}')).toEqual({ fileClass: 'Main', mainClass: 'Main' })
  })
})
