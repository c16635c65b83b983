/**
 * Nothing crosses from one candidate's run to another's, through any of the things the sandbox
 * keeps alive longer than one run to go faster: pre-started Python boxes, the warm Java
 * compiler, the compile cache, C++'s precompiled header, and the isolates JavaScript and
 * TypeScript runs share. Each test is an attack by run A on a later (or concurrent) run B, run
 * through the real engine; it says what A tries and asserts what B observes. A and B are
 * separate jobs with their own run ids, as two interviews' runs would be.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LanguageId, LanguageLimits } from '../../protocol/languages.ts'
import { cancelledMessage, type RunJob, type RunSummary } from '../../protocol/run.ts'
import { Box } from '../../sandbox/box/Box.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { BoxPool } from '../../sandbox/box/BoxPool.ts'
import { CompileCache, type CompileOutcome } from '../../sandbox/box/CompileCache.ts'
import type { CompileResult } from '../../sandbox/box/compileInBox.ts'
import { CompileServer } from '../../sandbox/box/CompileServer.ts'
import { javaSpec } from '../../sandbox/languages/java/spec.ts'
import type { EngineEvent } from '../../sandbox/Engine.ts'
import { jsJob, twoSumJs, twoSumTests } from '../sandbox/jsKit.ts'
import {
  createTestEngine,
  functionProblem,
  makeJob,
  runJob,
  testCacheDir,
  twoSumJob,
  type Outcome,
} from './boxTestKit.ts'
import type { SharedIsolateRun } from './runOnSharedIsolates.ts'

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  // Builds (or finds cached) C++'s precompiled header and starts the warm Java compiler.
  await engine.warm()
}, 300_000)

afterAll(async () => {
  vi.restoreAllMocks()
  await engine.close()
})

/** `probe(x: int) -> string`: each run reports what it saw as its return value. */
const probeProblem = functionProblem('probe', [['x', 'int']], 'string')

/** A fresh marker per test, so nothing left over from an earlier test run can match. */
function marker(): string {
  return `tandem-leak-${randomBytes(6).toString('hex')}`
}

function probeJob(
  language: LanguageId,
  source: string,
  // The kit's limits, as twoSumJob's: a pre-started box only serves runs of its own limits.
  limits: Partial<LanguageLimits> = {},
): RunJob {
  return makeJob({
    language,
    source,
    problem: probeProblem,
    tests: [{ args: [1] }, { args: [2] }],
    mode: 'custom',
    limits,
  })
}

async function probe(language: LanguageId, source: string): Promise<Outcome> {
  return runJob(engine, probeJob(language, source))
}

/** What the probe returned in each test ('' when a test did not return). */
function reported(outcome: Outcome): string[] {
  return outcome.results.map((result) =>
    result.actual === undefined ? '' : (JSON.parse(result.actual) as string),
  )
}

const pythonTwoSum = (prelude: string): string =>
  `${prelude}\ndef two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n    return [len(nums), len(nums)]\n`

describe('pre-started Python boxes', () => {
  it('give run B none of the files, environment, patched built-ins or processes run A left', async () => {
    // Run A plants everything a reused interpreter or box would hand on: files in /box, /tmp and
    // /dev/shm, an environment variable, a poisoned len() and the C JSON encoder, a value in builtins and
    // sys.modules, a thread and a detached grandchild that keep rewriting a file. B is handed a
    // box the pool started while nobody waited; it looks for each, and must still pass.
    const leak = marker()
    const pool = watchPool()
    try {
      // The first run of this shape makes the pool start a box ahead of the next one.
      expect((await runJob(engine, twoSumJob('python', pythonTwoSum('')))).summary.verdict).toBe(
        'passed',
      )
      const attack = [
        'import _json, builtins, os, sys, threading, time, types',
        '',
        'def keep_writing(path):',
        '    while True:',
        '        try:',
        `            open(path, "w").write("${leak}")`,
        '        except OSError:',
        '            pass',
        '        time.sleep(0.01)',
        '',
        'def probe(x):',
        '    if x == 2:',
        '        builtins.len = lambda value: 0',
        '        _json.make_encoder = lambda *args: lambda value, level: ["[0,1]"]',
        '        return "poisoned"',
        '    planted = []',
        '    for path in ("/box/planted", "/tmp/planted", "/dev/shm/planted"):',
        '        try:',
        `            open(path, "w").write("${leak}")`,
        '            planted.append(path)',
        '        except OSError:',
        '            pass',
        `    os.environ["TANDEM_LEAK"] = "${leak}"`,
        `    builtins.tandem_leak = "${leak}"`,
        `    sys.modules["tandem_leak"] = types.ModuleType("${leak}")`,
        '    threading.Thread(target=keep_writing, args=("/tmp/thread",), daemon=True).start()',
        '    if os.fork() == 0:',
        '        os.setsid()',
        '        if os.fork() == 0:',
        `            os.execv("/usr/bin/python3", ["python3", "-c", "import time\\nwhile True:\\n    open('/tmp/child', 'w').write('x')\\n    time.sleep(0.01)", "${leak}"])`,
        '        os._exit(0)',
        '    while not (os.path.exists("/tmp/thread") and os.path.exists("/tmp/child")):',
        '        time.sleep(0.01)',
        '    return " ".join(planted + ["/tmp/thread", "/tmp/child"])',
        '',
      ].join('\n')
      const a = await probe('python', attack)
      expect(a.results.map((result) => result.verdict)).toEqual(['passed', 'passed'])
      expect(a.results[0]?.actual).toBe(
        '"/box/planted /tmp/planted /dev/shm/planted /tmp/thread /tmp/child"',
      )
      // A's own harness encoded "poisoned" with the poisoned encoder: the attack took effect.
      expect(a.results[1]?.actual).toBe('[0,1]')

      const look = [
        'import builtins, json, os, sys',
        'seen = []',
        'for path in ("/box/planted", "/tmp/planted", "/dev/shm/planted", "/tmp/thread", "/tmp/child"):',
        '    if os.path.exists(path):',
        '        seen.append(path)',
        'if "TANDEM_LEAK" in os.environ:',
        '    seen.append("environment")',
        'if hasattr(builtins, "tandem_leak") or "tandem_leak" in sys.modules:',
        '    seen.append("module state")',
        'if len([1, 2, 3]) != 3 or json.dumps([3]) != "[3]":',
        '    seen.append("patched built-ins")',
        'for pid in os.listdir("/proc"):',
        '    if pid.isdigit():',
        '        try:',
        `            if b"${leak}" in open("/proc/%s/cmdline" % pid, "rb").read():`,
        '                seen.append("process " + pid)',
        '        except OSError:',
        '            pass',
        'print("B saw:", ", ".join(seen) or "nothing")',
      ].join('\n')
      const b = await runJob(engine, twoSumJob('python', pythonTwoSum(look)))
      expect(b.summary.verdict).toBe('passed')
      // B looks at module level, before any test: its print belongs to no test.
      expect(b.summary.outsideOutput).toBe('B saw: nothing\n')
      // Both runs really took boxes the pool had started before they asked.
      expect((await pool.taken()).slice(-2)).toEqual([true, true])
    } finally {
      pool.restore()
    }
  })
})

describe('the warm Java compiler', () => {
  it("does not keep run A's classes or static state for run B", async () => {
    // Run A's source defines an extra top-level class, Backdoor, with static state, sets a
    // system property and writes files. If the long-lived compiler kept A's classes on the next
    // compile's class path, B could call Backdoor; if a JVM outlived A, B would see its statics.
    const leak = marker()
    const compiles = watchCompileServer()
    try {
      const attack = [
        'import java.nio.file.*;',
        '',
        'class Backdoor {',
        '    static String secret = "unset";',
        '}',
        '',
        'class Solution {',
        '    static int calls = 0;',
        '    public static String probe(long x) throws Exception {',
        '        calls++;',
        `        Backdoor.secret = "${leak}";`,
        `        System.setProperty("tandem.leak", "${leak}");`,
        `        Files.writeString(Path.of("/tmp/planted"), "${leak}");`,
        '        return Backdoor.secret + " " + calls;',
        '    }',
        '}',
        '',
      ].join('\n')
      const a = await probe('java', attack)
      expect(reported(a)).toEqual([`${leak} 1`, `${leak} 2`])

      const useBackdoor = `// ${leak}\nclass Solution {\n    public static String probe(long x) {\n        return Backdoor.secret;\n    }\n}\n`
      const b1 = await probe('java', useBackdoor)
      expect(b1.summary.verdict).toBe('compile_error')
      expect(b1.summary.compileOutput).toMatch(/cannot find symbol[\s\S]*Backdoor/)

      const look = [
        `// ${leak}`,
        'import java.nio.file.*;',
        '',
        'class Solution {',
        '    static int calls = 0;',
        '    public static String probe(long x) {',
        '        calls++;',
        '        return System.getProperty("tandem.leak", "no property") + ", "',
        '            + (Files.exists(Path.of("/tmp/planted")) ? "a file" : "no file") + ", " + calls;',
        '    }',
        '}',
        '',
      ].join('\n')
      const b2 = await probe('java', look)
      expect(reported(b2)).toEqual(['no property, no file, 1', 'no property, no file, 2'])
      // All three compiled in the warm compiler, not in fresh compile boxes.
      expect(await compiles.served()).toEqual([true, true, true])
    } finally {
      compiles.restore()
    }
  })

  it('runs no annotation processor from a source, so no compile can plant anything', async () => {
    // Run A's source carries an annotation processor that, if javac ran it inside the
    // long-lived compiler, would write Planted.java into the compiler's folders, generate a
    // Planted class and report itself. Annotation processing is off in both compile paths, so
    // A compiles like any other source and B's use of Planted does not compile.
    const leak = marker()
    const compiles = watchCompileServer()
    try {
      const attack = [
        `// ${leak}`,
        'import java.io.*;',
        'import java.nio.file.*;',
        'import java.util.*;',
        'import javax.annotation.processing.*;',
        'import javax.lang.model.SourceVersion;',
        'import javax.lang.model.element.TypeElement;',
        'import javax.tools.Diagnostic;',
        '',
        '@SupportedAnnotationTypes("*")',
        '@SupportedSourceVersion(SourceVersion.RELEASE_17)',
        'class Planter extends AbstractProcessor {',
        '    @Override',
        '    public synchronized void init(ProcessingEnvironment env) {',
        '        super.init(env);',
        '        for (String dir : new String[] {".", "/tmp", "/box"}) {',
        '            try {',
        '                Files.writeString(Path.of(dir, "Planted.java"), "class Planted {}");',
        '            } catch (Exception e) {',
        '            }',
        '        }',
        `        env.getMessager().printMessage(Diagnostic.Kind.WARNING, "${leak} processor ran");`,
        '    }',
        '',
        '    @Override',
        '    public boolean process(Set<? extends TypeElement> types, RoundEnvironment round) {',
        '        try (Writer out = processingEnv.getFiler().createSourceFile("Planted").openWriter()) {',
        '            out.write("class Planted {}");',
        '        } catch (IOException e) {',
        '        }',
        '        return false;',
        '    }',
        '}',
        '',
        'class Solution {',
        '    public static String probe(long x) {',
        '        return "compiled";',
        '    }',
        '}',
        '',
      ].join('\n')
      const a = await probe('java', attack)
      expect(reported(a)).toEqual(['compiled', 'compiled'])
      expect(JSON.stringify(a.summary)).not.toContain('processor ran')

      const usePlanted = `// ${leak}\nclass Solution {\n    public static String probe(long x) {\n        return new Planted().toString();\n    }\n}\n`
      const b = await probe('java', usePlanted)
      expect(b.summary.verdict).toBe('compile_error')
      expect(b.summary.compileOutput).toMatch(/cannot find symbol[\s\S]*Planted/)
      expect(await compiles.served()).toEqual([true, true])

      // A processor only runs from the processor path, where no candidate class ever is; -proc:none
      // is the second wall, and both compile paths must keep it.
      const coldCompile = javaSpec.build({
        problem: probeProblem,
        source: '',
        extraFiles: {},
        toolchain: { binds: [], compileBinds: [], vars: { home: '/jdk' } },
        limits: { cpuTimeMs: 1, wallTimeMs: 1, memoryMb: 64, outputBytes: 1, sourceBytes: 1 },
        prebuilt: undefined,
      }).compile
      expect(coldCompile?.command).toContain('-proc:none')
      const warmCompiler = await readFile(
        fileURLToPath(
          new URL('../../sandbox/languages/java/TandemCompileServer.java', import.meta.url),
        ),
        'utf8',
      )
      expect(warmCompiler).toMatch(/List\.of\("-proc:none"/)
    } finally {
      compiles.restore()
    }
  })
})

describe('the compile cache', () => {
  it('gives each source its own binary, and run A cannot change a cached binary', async () => {
    // Run V (the victim) compiles first, so its binary is in the cache. Run A, a different
    // source, then tries at run time to overwrite, append to, chmod, rename and delete every
    // cached file it can reach (its own binary at /box/bin, V's entry by its host path). The
    // key is the host's hash of the sources; the box only ever sees its entry read-only. V
    // run again is a cache hit and still V's program.
    const leak = marker()
    const cache = watchCompileCache()
    try {
      const victim = `// ${leak}\n#include <bits/stdc++.h>\nstd::string probe(long long x) {\n    return "victim";\n}\n`
      const v1 = await probe('cpp', victim)
      expect(reported(v1)).toEqual(['victim', 'victim'])
      const victimEntry = (await cache.dirs()).at(-1)
      if (victimEntry === undefined) throw new Error('the victim compiled into no cache entry')
      const before = await hashFolder(victimEntry)

      const targets = ['/box/bin/prog', '/box/bin/.compile-output', '/box/bin/new']
      targets.push(...Object.keys(before).map((name) => path.join(victimEntry, name)))
      const attack = [
        `// ${leak}`,
        '#include <bits/stdc++.h>',
        '#include <sys/stat.h>',
        '#include <unistd.h>',
        'std::string probe(long long x) {',
        '    std::string done;',
        `    for (std::string p : {${targets.map((t) => JSON.stringify(t)).join(', ')}}) {`,
        '        if (FILE* f = fopen(p.c_str(), "r+")) { done += " wrote " + p; fclose(f); }',
        '        if (FILE* f = fopen(p.c_str(), "a")) { done += " appended " + p; fclose(f); }',
        '        if (chmod(p.c_str(), 0777) == 0) done += " chmod " + p;',
        '        if (rename(p.c_str(), (p + ".old").c_str()) == 0) done += " renamed " + p;',
        '        if (unlink(p.c_str()) == 0) done += " deleted " + p;',
        '    }',
        '    return "attacker" + (done.empty() ? std::string(": refused") : done);',
        '}',
        '',
      ].join('\n')
      const runsBefore = engine.compilerRuns
      const a = await probe('cpp', attack)
      expect(reported(a)).toEqual(['attacker: refused', 'attacker: refused'])
      expect(engine.compilerRuns).toBe(runsBefore + 1)
      expect((await cache.dirs()).at(-1)).not.toBe(victimEntry)

      const v2 = await probe('cpp', victim)
      expect(reported(v2)).toEqual(['victim', 'victim'])
      expect(engine.compilerRuns).toBe(runsBefore + 1)
      expect((await cache.dirs()).at(-1)).toBe(victimEntry)
      expect(await hashFolder(victimEntry)).toEqual(before)
    } finally {
      cache.restore()
    }
  })
})

describe('C++ and Go run boxes', () => {
  it.each(['cpp', 'go'] as const)('show run B no file run A wrote (%s)', async (language) => {
    // Run A writes into every writable place of its box; B, the next run of the same
    // language, looks in the same places. Each run box has fresh tmpfs mounts of its own.
    const leak = marker()
    const paths = ['/box/planted', '/tmp/planted', '/dev/shm/planted']
    const a = await probe(language, fileProbe(language, leak, paths, 'write'))
    expect(reported(a)).toEqual([paths.join(' '), paths.join(' ')])
    const b = await probe(language, fileProbe(language, leak, paths, 'look'))
    expect(reported(b)).toEqual(['', ''])
  })

  it("keep C++'s precompiled header out of the candidate's reach", async () => {
    // Run A tries to overwrite the precompiled header and the prebuilt harness runtime every
    // compile links, where a compile box mounts them and under the host's cache folder. They
    // are mounted only into compile boxes (where no candidate code runs), read-only; B then
    // compiles against them and passes.
    const leak = marker()
    const headers = await precompiledHeaders()
    expect(headers.length).toBeGreaterThan(0)
    const before = await Promise.all(headers.map(fileIdentity))
    const targets = [
      '/box/pch/bits/stdc++.h.gch',
      '/box/pch/bits/tandem_runtime.o',
      ...headers,
      ...headers.map((header) => path.join(path.dirname(header), 'tandem_runtime.o')),
    ]
    const a = await probe('cpp', fileProbe('cpp', leak, targets, 'write'))
    expect(reported(a)).toEqual(['', ''])
    expect(await Promise.all(headers.map(fileIdentity))).toEqual(before)

    const b = await runJob(engine, twoSumJob('cpp', cppTwoSum(leak)))
    expect(b.summary.verdict).toBe('passed')
  })
})

describe('JavaScript and TypeScript isolates', () => {
  it('give run B fresh globals and built-ins in the isolate run A used', async () => {
    // Run A pollutes everything a shared realm would hand on: a global, a var, Object.prototype,
    // Array.prototype.map, JSON.stringify, Math.random, Error.prepareStackTrace, a never-settled
    // promise and an interval. It passes, so the pool keeps its isolate and B (TypeScript, same
    // memory limit) gets that very isolate, in a new context.
    const leak = marker()
    const attack = [
      `globalThis.tandemLeak = '${leak}'`,
      `var tandemVar = '${leak}'`,
      `Object.prototype.tandemPolluted = '${leak}'`,
      `Array.prototype.map = function () { return ['${leak}'] }`,
      `JSON.stringify = () => '"${leak}"'`,
      'Math.random = () => 0.5',
      `Error.prepareStackTrace = () => '${leak}'`,
      `new Promise(() => {})`,
      `setInterval(() => console.log('${leak}'), 1)`,
      twoSumJs,
    ].join('\n')
    const look = [
      'const seen: string[] = []',
      'const g = globalThis as Record<string, unknown>',
      "if ('tandemLeak' in g || 'tandemVar' in g) seen.push('globals')",
      "if (({} as Record<string, unknown>).tandemPolluted !== undefined) seen.push('Object.prototype')",
      "if ([1, 2].map((n) => n * 2).join() !== '2,4') seen.push('Array.prototype.map')",
      "if (JSON.stringify([1]) !== '[1]') seen.push('JSON.stringify')",
      "if (!String(Math.random).includes('[native code]')) seen.push('Math.random')",
      "if ((Error as { prepareStackTrace?: unknown }).prepareStackTrace !== undefined) seen.push('Error.prepareStackTrace')",
      "console.log('B saw: ' + (seen.join(', ') || 'nothing'))",
      'function twoSum(nums: number[], target: number): number[] {',
      '  const seen = new Map<number, number>()',
      '  for (let i = 0; i < nums.length; i++) {',
      '    const j = seen.get(target - nums[i])',
      '    if (j !== undefined) return [j, i]',
      '    seen.set(nums[i], i)',
      '  }',
      '  return []',
      '}',
      '',
    ].join('\n')
    const [a, b] = await runOnSharedIsolates([
      jsJob({ code: attack }),
      jsJob({ code: look, language: 'typescript' }),
    ])
    expect(a?.summary.verdict).toBe('passed')
    expect(b?.summary.verdict).toBe('passed')
    expect(b?.results.map((result) => result.verdict)).toEqual(twoSumTests.map(() => 'passed'))
    expect(b?.results[0]?.stdout).toBe('B saw: nothing\n')
    expect(JSON.stringify(b)).not.toContain(leak)
    // B really ran in A's isolate, as its second run.
    expect(b?.isolate).toBe(a?.isolate)
    expect(b?.uses).toBe(2)
  })

  it.each([
    {
      left: 'registered symbols',
      // The global symbol registry belongs to the isolate, not the context, and a registered
      // symbol is never collected: the prelude gives each run a registry of its own.
      attack: `for (let i = 0; i < 40; i++) Symbol.for(String(i).padEnd(1 << 20, 'x'))\n${twoSumJs}`,
    },
    {
      left: 'garbage',
      // Garbage once the run's context is released, but V8 collects it when it gets to: on a
      // busy machine the next run in that isolate reached its limit first, 3 times in 8.
      attack: `globalThis.kept = []\nfor (let i = 0; i < 40; i++) kept.push(new Array(1 << 17).fill(i + 0.5))\n${twoSumJs}`,
    },
  ])("does not let run A's $left take run B's memory", async ({ attack }) => {
    // Run A leaves 40 MiB in its isolate's heap and passes; B, which needs 50 MiB of its 64,
    // would then run out of memory in that isolate although it passes in any other. B runs once
    // before A as well, to show it passes alone. The pool reads each isolate's heap after a run
    // and reuses it only when little is left (sandbox/js/IsolatePool.ts): B gets a fresh one.
    const victim = `const kept = []\nfor (let i = 0; i < 50; i++) kept.push(new Array(1 << 17).fill(i + 0.5))\n${twoSumJs}`
    const [before, a, after] = await runOnSharedIsolates([
      jsJob({ code: victim }),
      jsJob({ code: attack }),
      jsJob({ code: victim }),
    ])
    expect([before, a, after].map((run) => run?.summary.message)).toEqual([
      'All 3 tests passed',
      'All 3 tests passed',
      'All 3 tests passed',
    ])
    expect(after?.isolate).not.toBe(a?.isolate)
  })
})

describe('concurrent runs', () => {
  it("cannot reach each other's shared memory, IPC, sockets or processes", async () => {
    // Run A sets up every channel two processes on one machine could share: a file in
    // /dev/shm, a System V shared memory segment under a fixed key, an abstract Unix socket, a
    // process named after the secret. It reports ready in its first test and then waits in its
    // second, so it is alive for the whole of run B, which looks for each; A is cancelled after.
    const leak = marker()
    const key = 0x7a4d0000 + randomBytes(2).readUInt16BE()
    const setup = [
      'import ctypes, os, socket, time',
      '',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'held = []',
      '',
      'def probe(x):',
      '    if x == 2:',
      '        time.sleep(600)',
      '    ready = []',
      `    open("/dev/shm/${leak}", "w").write("${leak}")`,
      '    ready.append("shm file")',
      `    segment = libc.shmget(${key}, 4096, 0o1666)`,
      '    if segment >= 0:',
      '        ready.append("sysv segment")',
      '    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      `    server.bind("\\0${leak}")`,
      '    server.listen(1)',
      '    held.append(server)',
      '    ready.append("abstract socket")',
      '    if os.fork() == 0:',
      `        os.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(600)", "${leak}"])`,
      '    return ", ".join(ready)',
      '',
    ].join('\n')
    const look = [
      'import ctypes, os, socket',
      '',
      'libc = ctypes.CDLL(None, use_errno=True)',
      '',
      'def probe(x):',
      '    seen = []',
      '    if os.listdir("/dev/shm"):',
      '        seen.append("/dev/shm: " + " ".join(os.listdir("/dev/shm")))',
      `    if libc.shmget(${key}, 0, 0) >= 0:`,
      '        seen.append("sysv segment")',
      '    segments = open("/proc/sysvipc/shm").read().splitlines()[1:]',
      '    if segments:',
      '        seen.append("%d segments in /proc/sysvipc/shm" % len(segments))',
      '    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      '    try:',
      `        client.connect("\\0${leak}")`,
      '        seen.append("abstract socket")',
      '    except OSError:',
      '        pass',
      '    for pid in os.listdir("/proc"):',
      '        if pid.isdigit():',
      '            try:',
      `                if b"${leak}" in open("/proc/%s/cmdline" % pid, "rb").read():`,
      '                    seen.append("process " + pid)',
      '            except OSError:',
      '                pass',
      '    return ", ".join(seen)',
      '',
    ].join('\n')

    const cancelA = new AbortController()
    let aReady: (result: string) => void = () => {}
    const readyA = new Promise<string>((resolve) => (aReady = resolve))
    const runA = engine.run({
      job: probeJob('python', setup, { cpuTimeMs: 5_000, wallTimeMs: 120_000 }),
      emit: (event: EngineEvent) => {
        if (event.type === 'test') aReady(event.result.actual ?? event.result.verdict)
      },
      signal: cancelA.signal,
    })
    let summaryA: RunSummary
    try {
      const ended = runA.then((summary) => `A ended: ${summary.verdict} ${summary.message}`)
      expect(await Promise.race([readyA, ended])).toBe('"shm file, sysv segment, abstract socket"')
      const b = await probe('python', look)
      expect(reported(b)).toEqual(['', ''])
    } finally {
      cancelA.abort()
      summaryA = await runA
    }
    // A was still waiting in its second test when B ended: only the cancel stopped it.
    expect(summaryA).toMatchObject({ verdict: 'cancelled', message: cancelledMessage })
  })
})

// ---- Probes ---------------------------------------------------------------------------------

/**
 * A `probe` in C++ or Go that, for every path, either writes the marker there (`write`: returns
 * the paths it could write) or looks for it (`look`: returns the paths that hold it).
 */
function fileProbe(
  language: 'cpp' | 'go',
  leak: string,
  paths: string[],
  mode: 'write' | 'look',
): string {
  const list = paths.map((p) => JSON.stringify(p)).join(', ')
  if (language === 'cpp') {
    const act =
      mode === 'write'
        ? `if (FILE* f = fopen(p.c_str(), "w")) { fputs("${leak}", f); fclose(f); hits.push_back(p); }`
        : `std::ifstream in(p); std::string text; std::getline(in, text); if (text == "${leak}") hits.push_back(p);`
    return [
      `// ${leak} ${mode}`,
      '#include <bits/stdc++.h>',
      'std::string probe(long long x) {',
      '    std::vector<std::string> hits;',
      `    for (std::string p : {${list}}) {`,
      `        ${act}`,
      '    }',
      '    std::string out;',
      '    for (auto& h : hits) out += (out.empty() ? "" : " ") + h;',
      '    return out;',
      '}',
      '',
    ].join('\n')
  }
  const act =
    mode === 'write'
      ? `if os.WriteFile(p, []byte("${leak}"), 0o644) == nil {\n\t\t\thits = append(hits, p)\n\t\t}`
      : `if text, err := os.ReadFile(p); err == nil && string(text) == "${leak}" {\n\t\t\thits = append(hits, p)\n\t\t}`
  return [
    `// ${leak} ${mode}`,
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"strings"',
    ')',
    '',
    'func probe(x int) string {',
    '\thits := []string{}',
    `\tfor _, p := range []string{${list}} {`,
    `\t\t${act}`,
    '\t}',
    '\treturn strings.Join(hits, " ")',
    '}',
    '',
  ].join('\n')
}

function cppTwoSum(comment: string): string {
  return `// ${comment}\n#include <bits/stdc++.h>\nusing namespace std;\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    map<long long, long long> seen;\n    for (long long i = 0; i < (long long)nums.size(); i++) {\n        if (seen.count(target - nums[i])) return {seen[target - nums[i]], i};\n        seen[nums[i]] = i;\n    }\n    return {};\n}\n`
}

// ---- Observers: pass-through spies that record what the engine did, changing nothing ---------

/** What each call of a call-through spy returned, awaited, in call order. */
async function returned<T>(spy: { mock: { results: { value: unknown }[] } }): Promise<T[]> {
  return Promise.all(spy.mock.results.map((result) => result.value as Promise<T>))
}

/**
 * Whether each box the pool handed out was started before the run asked for it: the spies
 * call through, and vitest numbers every spied call in one global order.
 */
function watchPool(): { taken: () => Promise<boolean[]>; restore: () => void } {
  const start = vi.spyOn(Box, 'start')
  const take = vi.spyOn(BoxPool.prototype, 'take')
  return {
    taken: async () => {
      const started = await returned<Box>(start)
      const taken = await returned<Box>(take)
      return taken.map((box, index) => {
        const startedAt = start.mock.invocationCallOrder[started.indexOf(box)] ?? Infinity
        return startedAt < (take.mock.invocationCallOrder[index] ?? 0)
      })
    },
    restore: () => {
      start.mockRestore()
      take.mockRestore()
    },
  }
}

/** Whether each compile the warm compiler was asked for was served by it (call-through spy). */
function watchCompileServer(): { served: () => Promise<boolean[]>; restore: () => void } {
  const tryCompile = vi.spyOn(CompileServer.prototype, 'tryCompile')
  return {
    served: async () =>
      (await returned<CompileResult | undefined>(tryCompile)).map(
        (compiled) => compiled !== undefined,
      ),
    restore: () => tryCompile.mockRestore(),
  }
}

/** The cache folder each compile's outcome came from, in order (call-through spy). */
function watchCompileCache(): { dirs: () => Promise<string[]>; restore: () => void } {
  const getOrCompile = vi.spyOn(CompileCache.prototype, 'getOrCompile')
  return {
    dirs: async () =>
      (await returned<CompileOutcome>(getOrCompile)).flatMap((outcome) =>
        outcome.ok ? [outcome.dir] : [],
      ),
    restore: () => getOrCompile.mockRestore(),
  }
}

// ---- Host-side evidence ---------------------------------------------------------------------

/** SHA-256 of every file in a folder, by name. */
async function hashFolder(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) {
    const data = await readFile(path.join(dir, name))
    hashes[name] = createHash('sha256').update(data).digest('hex')
  }
  return hashes
}

/** Every precompiled header in the test cache (the engine's prebuilt folder is one of them). */
async function precompiledHeaders(): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(testCacheDir)) {
    const header = path.join(testCacheDir, entry, 'bits', 'stdc++.h.gch')
    if (await stat(header).catch(() => undefined)) found.push(header)
  }
  return found
}

/** What changes when a file is rewritten, replaced or touched. */
async function fileIdentity(file: string): Promise<string> {
  const info = await stat(file)
  return `${info.ino} ${info.size} ${info.mtimeMs} ${info.mode.toString(8)}`
}

/** Runs jobs one after another in a child process on one JsEngine (see runOnSharedIsolates.ts). */
async function runOnSharedIsolates(jobs: RunJob[]): Promise<SharedIsolateRun[]> {
  const script = fileURLToPath(new URL('./runOnSharedIsolates.ts', import.meta.url))
  const { stdout, failure } = await new Promise<{ stdout: string; failure: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--no-node-snapshot', '--no-warnings', script],
      { maxBuffer: 16 << 20, timeout: 60_000 },
      (error, out, err) =>
        resolve({ stdout: out, failure: error === null ? '' : `${error.message}\n${err}` }),
    )
    child.stdin?.end(JSON.stringify(jobs))
  })
  // isolated-vm crashes at process exit (SIGSEGV) once an isolate has hit its memory limit;
  // by then every result has been written, and those stand.
  try {
    const runs = JSON.parse(stdout) as SharedIsolateRun[]
    if (runs.length === jobs.length) return runs
  } catch {
    // Reported below with the child's own error.
  }
  throw new Error(`the isolate runner failed: ${failure}`)
}
