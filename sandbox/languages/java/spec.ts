/**
 * Java 17 in a box. javac compiles in a compile box; the run is one JVM for all tests (function
 * style, via TandemHarness.java and reflection) or one per test (stdio). The JVM always gets
 * -Xmx, -Xss, -ea and the serial collector, and never an address-space rlimit: inside bwrap it
 * cannot see the cgroup limit, so without -Xmx it would size its heap from the host's memory.
 */
import { readFileSync } from 'node:fs'
import { readdir, readlink, realpath } from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../../box/BoxHost.ts'
import { ToolchainMissingError, type Bind, type BoxLanguageSpec } from '../../box/LanguageSpec.ts'
import { defaultSourceBytes } from '../../../protocol/languages.ts'

const harness = readFileSync(new URL('./TandemHarness.java', import.meta.url), 'utf8')
const compileServer = readFileSync(new URL('./TandemCompileServer.java', import.meta.url), 'utf8')

/** The conformance data's Java tests `import org.javatuples.*`. */
const javatuples = '/usr/share/java/javatuples.jar'

const env = { PATH: '/usr/bin', HOME: '/tmp', LANG: 'C.UTF-8' }

/** A JVM that starts fast: compilers run briefly, so C1 and class data sharing beat C2. */
const quickJvm = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Xshare:auto']

/**
 * Stack of every thread, MiB: deep recursion is common in interview answers. Not more: at a
 * StackOverflowError the JIT's deoptimisation of a deeper stack takes far more memory than the
 * stack itself (measured: 8 MiB → 59 MiB RSS, 16 → 82, 32 → 267, 64 → 496).
 */
const stackMb = 16

/**
 * Where a stdio program lives: the file must carry the name of its public class (if any), and
 * `java` must start the top-level class that declares `main`, which need not be public
 * (`class Problem { public static void main… }` is valid Java, and MultiPL-E's whole Java suite
 * is written that way).
 */
export function javaEntry(source: string): { fileClass: string; mainClass: string } {
  // Comments and literals can mention `class` or `main`; blank them before scanning.
  const code = source.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g,
    ' ',
  )
  const publicClass = /\bpublic\s+(?:final\s+|abstract\s+)*class\s+([A-Za-z_$][\w$]*)/.exec(
    code,
  )?.[1]
  const fileClass = publicClass ?? 'Main'
  // The stack of open braces, each with the class it opened (null for other blocks).
  const open: (string | null)[] = []
  let pending: string | null = null
  for (const match of code.matchAll(
    /\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)|\bstatic\s+void\s+main\s*\(|[{}]/g,
  )) {
    const token = match[0]
    if (match[1] !== undefined) pending = match[1]
    else if (token === '{') {
      open.push(pending)
      pending = null
    } else if (token === '}') open.pop()
    else {
      const outermost = open.find((name) => name !== null)
      if (outermost !== undefined) return { fileClass, mainClass: outermost }
    }
  }
  return { fileClass, mainClass: fileClass }
}

export const javaSpec: BoxLanguageSpec = {
  id: 'java',
  limits: {
    cpuTimeMs: 4_000,
    wallTimeMs: 10_000,
    memoryMb: 256,
    outputBytes: 1 << 20,
    sourceBytes: defaultSourceBytes,
    compileTimeMs: 30_000,
  },
  timeMultiplier: 2,
  pids: 128,
  memoryOverheadMb: 160,
  startupMs: 1_000,
  compileLimits: { memoryMb: 1024, pids: 128 },
  async locate() {
    const java = await realpath('/usr/bin/java').catch(() => {
      throw new ToolchainMissingError('java is not installed (/usr/bin/java)')
    })
    const home = path.dirname(path.dirname(java))
    if (!(await exists(`${home}/bin/javac`))) {
      throw new ToolchainMissingError(`javac is missing in ${home} (install a JDK, not a JRE)`)
    }
    const binds: Bind[] = [{ source: home, target: home }]
    // Debian links the JDK's configuration to /etc/java-N-openjdk: those folders must be there too.
    for (const dir of await linkedFolders(home)) binds.push({ source: dir, target: dir })
    const tuples = await realpath(javatuples).catch(() => undefined)
    if (tuples !== undefined) binds.push({ source: tuples, target: javatuples })
    return { binds, compileBinds: [], vars: { home } }
  },
  version: {
    command: (toolchain) => ({ command: [`${toolchain.vars.home}/bin/java`, '-version'], env }),
    parse: (output) => {
      const version = /version "([^"]+)"/.exec(output)?.[1]
      return version === undefined ? (output.trim().split('\n')[0] ?? '') : `Java ${version}`
    },
  },
  build({ problem, source, toolchain, limits, extraFiles }) {
    const home = toolchain.vars.home ?? ''
    const entry =
      problem.style === 'function'
        ? { fileClass: 'Solution', mainClass: 'TandemHarness' }
        : javaEntry(source)
    const sourceFile = `${entry.fileClass}.java`
    const files: Record<string, string> = { ...extraFiles, [sourceFile]: source }
    if (problem.style === 'function') files['TandemHarness.java'] = harness
    // Every .java file is compiled: the candidate's other classes sit beside the solution.
    const sources = Object.keys(files).filter((name) => name.endsWith('.java'))
    return {
      files,
      sourceFile,
      compile: {
        command: [
          `${home}/bin/javac`,
          ...quickJvm.map((flag) => `-J${flag}`),
          '-J-Xmx512m',
          // No annotation processors: they would run code from the classpath at compile time.
          '-proc:none',
          '-encoding',
          'UTF-8',
          '-Xmaxerrs',
          '30',
          '-cp',
          javatuples,
          '-d',
          '/box/out',
          ...sources,
        ],
        env,
      },
      run: {
        command: [
          `${home}/bin/java`,
          '-XX:+UseSerialGC',
          `-Xmx${limits.memoryMb}m`,
          `-Xss${stackMb}m`,
          '-ea',
          '-XX:-UsePerfData',
          '-Xshare:auto',
          '-XX:ReservedCodeCacheSize=64m',
          '-XX:MaxMetaspaceSize=128m',
          '-Dfile.encoding=UTF-8',
          '-cp',
          `/box/bin:${javatuples}`,
          entry.mainClass,
        ],
        env,
      },
    }
  },
  prebuild: {
    inputs: { 'TandemCompileServer.java': compileServer },
    command: (toolchain) => ({
      command: [
        `${toolchain.vars.home}/bin/javac`,
        ...quickJvm.map((flag) => `-J${flag}`),
        '-d',
        '/box/out',
        'TandemCompileServer.java',
      ],
      env,
    }),
    subdir: 'classes',
    extraFiles: {},
    timeMs: 120_000,
  },
  compileServer: {
    command: (toolchain, prebuilt) => ({
      command: [
        `${toolchain.vars.home}/bin/java`,
        ...quickJvm,
        '-Xmx640m',
        '-cp',
        `${prebuilt}/classes`,
        'TandemCompileServer',
        javatuples,
      ],
      env,
    }),
    warmUp: {
      'Solution.java':
        'import java.util.*;\n\nclass Solution {\n    public static long[] twoSum(long[] nums, long target) {\n        return new long[] {0, 1};\n    }\n}\n',
      'TandemHarness.java': harness,
    },
    compiles: (name) => name.endsWith('.java'),
  },
  selfTest: {
    source:
      'public class Main {\n    public static void main(String[] args) {\n        System.out.println("Hello, world!");\n    }\n}\n',
    stdout: 'Hello, world!\n',
  },
}

/** Folders outside `home` that symlinks in its conf and lib folders point into. */
async function linkedFolders(home: string): Promise<string[]> {
  const folders = new Set<string>()
  for (const sub of ['conf', 'conf/security', 'conf/management', 'lib', 'lib/security']) {
    const names = await readdir(`${home}/${sub}`).catch(() => [] as string[])
    for (const name of names) {
      const target = await readlink(`${home}/${sub}/${name}`).catch(() => undefined)
      if (target === undefined || !path.isAbsolute(target) || target.startsWith(`${home}/`))
        continue
      // Bind the top folder under /etc once, e.g. /etc/java-17-openjdk.
      const folder = target.split('/').slice(0, 3).join('/')
      if (target.startsWith('/etc/') && (await exists(folder))) folders.add(folder)
    }
  }
  return [...folders]
}
