/**
 * The boxes' syscall filter (sandbox/box/seccompFilter.ts). Issue 13, finding 5: before it,
 * `ptrace(PTRACE_ATTACH, 1)` succeeded inside a box (on bubblewrap's init), and nothing stood
 * between candidate code and the next syscall attack but the kernel's own checks.
 *
 * Many denied syscalls fail inside a box anyway (the box has no capabilities), so an EPERM seen
 * in a box does not by itself prove the filter caught the call. The first part therefore runs
 * the generator's program with an unusual errno (200) through bubblewrap and the real kernel:
 * every listed call then answers 200, which only the filter can. The second part runs the
 * production filter through the engine in every language and sees EPERM.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { closeSync, openSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { deniedSyscalls, seccompFilter } from '../../sandbox/box/seccompFilter.ts'
import { createTestEngine, functionProblem, makeJob, runJob } from './boxTestKit.ts'

const arch = process.arch === 'arm64' ? 'arm64' : 'x64'
/** The denied syscalls this ABI has, with their numbers. */
const denied = deniedSyscalls.flatMap((syscall) => {
  const number = syscall[arch]
  return number === undefined ? [] : [{ name: syscall.name, number }]
})
const EPERM = 1
/** The errno the test filter returns: no kernel check answers it. */
const testErrno = 200

/**
 * A C program that prints `<name> <SYS_name>` for every denied syscall the headers know, or
 * calls each syscall number it is given with zero arguments and prints `<number> <errno>`, then
 * the special cases. Zero arguments: unfiltered, none of these calls does harm in a box without
 * capabilities.
 */
function proberSource(): string {
  const numbers = denied
    .map(
      ({ name }) =>
        `#ifdef SYS_${name}\n  printf("${name} %ld\\n", (long)SYS_${name});\n#else\n  printf("${name} missing\\n");\n#endif`,
    )
    .join('\n')
  return `#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int errnoOf(long result) { return result == -1 ? errno : 0; }

int main(int argc, char** argv) {
  if (strcmp(argv[1], "numbers") == 0) {
${numbers}
    return 0;
  }
  for (int i = 2; i < argc; i++) {
    long number = atol(argv[i]);
    errno = 0;
    printf("%ld %d\\n", number, errnoOf(syscall(number, 0, 0, 0, 0, 0, 0)));
  }
  printf("getpid %d\\n", errnoOf(syscall(SYS_getpid)));
  printf("personality-no-aslr %d\\n", errnoOf(personality(ADDR_NO_RANDOMIZE)));
  printf("personality-query %d\\n", errnoOf(personality(0xffffffff)));
  printf("socket-vsock %d\\n", errnoOf(socket(40, SOCK_STREAM, 0)));
  printf("socket-unix %d\\n", errnoOf(socket(AF_UNIX, SOCK_STREAM, 0)));
#if defined(__x86_64__)
  printf("x32-getpid %d\\n", errnoOf(syscall(0x40000000 | SYS_getpid)));
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    long result;
    // getpid in the i386 ABI (number 20), through the 32-bit entry point.
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
    printf("i386-getpid %ld\\n", result < 0 && result > -4096 ? -result : 0L);
    fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  // A kernel without the 32-bit ABI kills the caller instead: refused as well.
  if (WIFSIGNALED(status)) printf("i386-getpid killed\\n");
#endif
  return 0;
}
`
}

describe('the seccomp program', () => {
  let dir = ''
  let prober = ''
  let compiler: string | undefined

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-seccomp-'))
    try {
      compiler = execFileSync('sh', ['-c', 'command -v g++ || command -v c++'], {
        encoding: 'utf8',
      }).trim()
    } catch {
      compiler = undefined
    }
    if (compiler === undefined || compiler === '') {
      console.log('skipping the seccomp program tests: no C++ compiler on this host')
      return
    }
    await writeFile(path.join(dir, 'prober.cpp'), proberSource())
    prober = path.join(dir, 'prober')
    execFileSync(compiler, ['-O1', '-o', prober, path.join(dir, 'prober.cpp')])
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** Runs the prober in a box of bubblewrap's, without capabilities, under `filter`. */
  function inBox(filter: Buffer, args: string[]): Map<string, string> {
    const file = path.join(dir, 'filter.bpf')
    writeFileSync(file, filter)
    const fd = openSync(file, 'r')
    try {
      const ran = spawnSync(
        'bwrap',
        [
          ...['--unshare-all', '--unshare-user', '--uid', '65534', '--gid', '65534'],
          ...['--cap-drop', 'ALL', '--die-with-parent'],
          ...['--ro-bind', '/usr', '/usr', '--ro-bind', prober, '/prober'],
          ...['--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64'],
          ...['--proc', '/proc', '--dev', '/dev', '--seccomp', '3', '/prober', ...args],
        ],
        { stdio: ['ignore', 'pipe', 'pipe', fd], encoding: 'utf8' },
      )
      if (ran.status !== 0) throw new Error(`the prober failed: ${ran.stderr}`)
      return new Map(
        ran.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(' ') as [string, string]),
      )
    } finally {
      closeSync(fd)
    }
  }

  it('names each denied syscall by the number the kernel headers give it', (context) => {
    if (compiler === undefined) return context.skip()
    const numbers = execFileSync(prober, ['numbers'], { encoding: 'utf8' })
    const fromHeaders = new Map(
      numbers
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    )
    for (const { name, number } of denied) expect(fromHeaders.get(name), name).toBe(String(number))
  })

  it('refuses every listed syscall, every foreign ABI and the dangerous personas, and nothing else', (context) => {
    if (compiler === undefined) return context.skip()
    const seen = inBox(seccompFilter(process.arch, testErrno), [
      'call',
      ...denied.map(({ number }) => String(number)),
    ])
    for (const { name, number } of denied) expect(seen.get(String(number)), name).toBe('200')
    expect(seen.get('personality-no-aslr')).toBe('200')
    expect(seen.get('socket-vsock')).toBe('200')
    // What the filter lets through still works.
    expect(seen.get('getpid')).toBe('0')
    expect(seen.get('personality-query')).toBe('0')
    expect(seen.get('socket-unix')).toBe('0')
    if (arch === 'x64') {
      expect(seen.get('x32-getpid')).toBe('200')
      expect(['200', 'killed']).toContain(seen.get('i386-getpid'))
    }
  })
})

describe('the filter in every box', () => {
  let engine: BoxEngine
  beforeAll(async () => {
    engine = createTestEngine()
    await engine.warm()
  }, 300_000)
  afterAll(async () => {
    await engine.close()
  })

  /** `probe(x: int) -> string`, run once; what it returned. */
  async function probe(language: LanguageId, source: string): Promise<string> {
    const { summary, results } = await runJob(
      engine,
      makeJob({
        language,
        source,
        problem: functionProblem('probe', [['x', 'int']], 'string'),
        tests: [{ args: [1], expected: '' }],
        limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 },
      }),
    )
    const actual = results[0]?.actual
    if (actual === undefined) throw new Error(`the probe did not return: ${summary.message}`)
    return JSON.parse(actual) as string
  }

  /** `number errno` pairs, as the probes print them. */
  function errnos(report: string): Map<number, number> {
    return new Map(
      report
        .trim()
        .split(' ')
        .map((pair) => pair.split(':').map(Number) as [number, number]),
    )
  }

  const numbers = denied.map(({ number }) => number).join(', ')

  it.for([
    [
      'cpp',
      `#include <bits/stdc++.h>\n#include <sys/syscall.h>\n#include <unistd.h>\nstd::string probe(long long x) {\n    std::string out;\n    for (long n : {${numbers}}) {\n        errno = 0;\n        long r = syscall(n, 0, 0, 0, 0, 0, 0);\n        out += std::to_string(n) + ":" + std::to_string(r == -1 ? errno : 0) + " ";\n    }\n    return out;\n}\n`,
    ],
    [
      'go',
      `package main\n\nimport (\n\t"fmt"\n\t"syscall"\n)\n\nfunc probe(x int) string {\n\tout := ""\n\tfor _, n := range []uintptr{${numbers}} {\n\t\t_, _, errno := syscall.Syscall6(n, 0, 0, 0, 0, 0, 0)\n\t\tout += fmt.Sprintf("%d:%d ", n, int(errno))\n\t}\n\treturn out\n}\n`,
    ],
    [
      'python',
      `import ctypes\n\nlibc = ctypes.CDLL(None, use_errno=True)\n\ndef probe(x):\n    out = []\n    for n in (${numbers},):\n        ctypes.set_errno(0)\n        r = libc.syscall(n, 0, 0, 0, 0, 0, 0)\n        out.append("%d:%d" % (n, ctypes.get_errno() if r == -1 else 0))\n    return " ".join(out)\n`,
    ],
  ] as const)(
    'answers EPERM to each denied syscall in %s',
    { timeout: 120_000 },
    async ([language, source], { expect }) => {
      const seen = errnos(await probe(language, source))
      for (const { name, number } of denied) expect(seen.get(number), name).toBe(EPERM)
    },
  )

  it('is installed in a Java box and in every process the JVM starts', async () => {
    // Java cannot make a raw syscall, so it writes a 147-byte x86-64 program to /tmp that calls
    // ptrace(PTRACE_TRACEME) and exits with the errno (0 if the call succeeded), and runs it.
    const run =
      arch === 'x64'
        ? `Path program = Path.of("/tmp/ptrace");\n        Files.write(program, java.util.Base64.getDecoder().decode("${ptraceProgram().toString('base64')}"));\n        program.toFile().setExecutable(true);\n        mode += " exit " + new ProcessBuilder(program.toString()).start().waitFor();`
        : ''
    if (run === '') console.log('Java: /proc/self/status only; the ptrace program is x86-64 code')
    const source = `import java.nio.file.*;\nclass Solution {\n    public static String probe(long x) throws Exception {\n        String mode = "";\n        for (String line : Files.readAllLines(Path.of("/proc/self/status")))\n            if (line.startsWith("Seccomp:")) mode = line.replaceAll("\\\\s+", " ");\n        ${run}\n        return mode;\n    }\n}\n`
    expect(await probe('java', source)).toBe(arch === 'x64' ? 'Seccomp: 2 exit 1' : 'Seccomp: 2')
  })
})

/** A static x86-64 ELF executable: `exit(-ptrace(PTRACE_TRACEME, 0, 0, 0))`. */
function ptraceProgram(): Buffer {
  // mov eax, 101; xor edi, edi; xor esi, esi; xor edx, edx; xor r10, r10; syscall;
  // neg eax; mov edi, eax; mov eax, 60; syscall
  const code = Buffer.from([
    0xb8, 0x65, 0, 0, 0, 0x31, 0xff, 0x31, 0xf6, 0x31, 0xd2, 0x4d, 0x31, 0xd2, 0x0f, 0x05, 0xf7,
    0xd8, 0x89, 0xc7, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05,
  ])
  const base = 0x400000n
  const headers = Buffer.alloc(64 + 56)
  const size = BigInt(headers.length + code.length)
  headers.write('\x7fELF', 0, 'latin1')
  headers[4] = 2 // 64-bit
  headers[5] = 1 // little-endian
  headers[6] = 1 // ELF version
  headers.writeUInt16LE(2, 16) // an executable
  headers.writeUInt16LE(0x3e, 18) // x86-64
  headers.writeUInt32LE(1, 20)
  headers.writeBigUInt64LE(base + BigInt(headers.length), 24) // entry: the code
  headers.writeBigUInt64LE(64n, 32) // program headers right after this one
  headers.writeUInt16LE(64, 52)
  headers.writeUInt16LE(56, 54)
  headers.writeUInt16LE(1, 56)
  // One loadable, readable and executable segment: the whole file at `base`.
  headers.writeUInt32LE(1, 64)
  headers.writeUInt32LE(5, 68)
  headers.writeBigUInt64LE(base, 80)
  headers.writeBigUInt64LE(base, 88)
  headers.writeBigUInt64LE(size, 96)
  headers.writeBigUInt64LE(size, 104)
  headers.writeBigUInt64LE(0x1000n, 112)
  return Buffer.concat([headers, code])
}
