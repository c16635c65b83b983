/**
 * Nothing of the host is visible inside a box (issue 13, finding 6). Each test reads, from inside
 * a run box of every language, what used to show the host's layout:
 *
 *   /proc/1/environ    bwrap, the box's pid 1, carried the wrapper's environment: the server's
 *                      OLDPWD and PWD (bash sets them); it now starts with none (`exec -c`)
 *   /proc/1/cmdline    bwrap's full command line: every host path it bound, the scratch folder
 *                      named after the sandbox's pid; its options now come through a descriptor
 *   mountinfo          each bind named its host source (the temp folder, the sandbox's pid,
 *                      the compile cache of uid 0); files are now copied in from descriptors
 *   /proc/self/cgroup  the host's cgroup path, were there no cgroup namespace
 *
 * and, in Python, the descriptors the command holds. Python's boxes come from the pool of
 * pre-started boxes, and the C++ compile box, the one box that still binds a host folder (the
 * ~100 MB precompiled header), has no /proc to read at all.
 */
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { openBoxHost } from '../../sandbox/box/BoxHost.ts'
import {
  createTestEngine,
  functionProblem,
  makeJob,
  processLanguages,
  runJob,
  type Outcome,
} from './boxTestKit.ts'

let engine: BoxEngine
let bwrapPath = ''

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
  const host = await openBoxHost()
  bwrapPath = host.bwrapPath
  await host.close()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

/**
 * Each probe returns lines: `environ <pid 1's environment>`, `cmdline <pid 1's argv>` (NULs as
 * spaces), `cgroup <line>` per line of /proc/self/cgroup, and `mount <root> <mount point>` per
 * line of /proc/self/mountinfo (its 4th and 5th fields: the source path within its filesystem,
 * and where it is mounted).
 */
const probes: Record<(typeof processLanguages)[number], string> = {
  python: [
    'import os',
    '',
    'def probe(x):',
    '    out = []',
    '    for name in ("environ", "cmdline"):',
    '        text = open("/proc/1/" + name, "rb").read().decode().replace("\\0", " ")',
    '        out.append(name + " " + text.strip())',
    '    for line in open("/proc/self/cgroup"):',
    '        out.append("cgroup " + line.strip())',
    '    for line in open("/proc/self/mountinfo"):',
    '        fields = line.split()',
    '        out.append("mount %s %s" % (fields[3], fields[4]))',
    '    for fd in os.listdir("/proc/self/fd"):',
    '        try:',
    '            out.append("fd %s %s" % (fd, os.readlink("/proc/self/fd/" + fd)))',
    '        except OSError:',
    '            pass  # the descriptor listdir itself used, closed by now',
    '    return "\\n".join(out)',
    '',
  ].join('\n'),
  java: [
    'import java.nio.file.*;',
    '',
    'class Solution {',
    '    public static String probe(long x) throws Exception {',
    '        StringBuilder out = new StringBuilder();',
    '        for (String name : new String[] {"environ", "cmdline"}) {',
    '            String text = new String(Files.readAllBytes(Path.of("/proc/1/" + name)));',
    '            out.append(name).append(" ").append(text.replace((char) 0, (char) 32).trim()).append("\\n");',
    '        }',
    '        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup")))',
    '            out.append("cgroup ").append(line).append("\\n");',
    '        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {',
    '            String[] f = line.split(" ");',
    '            out.append("mount ").append(f[3]).append(" ").append(f[4]).append("\\n");',
    '        }',
    '        return out.toString().trim();',
    '    }',
    '}',
    '',
  ].join('\n'),
  cpp: [
    '#include <bits/stdc++.h>',
    'using namespace std;',
    '',
    'static string slurp(const string& path) {',
    '    ifstream in(path, ios::binary);',
    '    string text((istreambuf_iterator<char>(in)), istreambuf_iterator<char>());',
    "    replace(text.begin(), text.end(), '\\0', ' ');",
    "    while (!text.empty() && text.back() == ' ') text.pop_back();",
    '    return text;',
    '}',
    '',
    'string probe(long long x) {',
    '    string out = "environ " + slurp("/proc/1/environ") + "\\ncmdline " + slurp("/proc/1/cmdline");',
    '    ifstream cgroup("/proc/self/cgroup");',
    '    for (string line; getline(cgroup, line);) out += "\\ncgroup " + line;',
    '    ifstream mounts("/proc/self/mountinfo");',
    '    for (string line; getline(mounts, line);) {',
    '        istringstream fields(line);',
    '        string id, parent, device, root, point;',
    '        fields >> id >> parent >> device >> root >> point;',
    '        out += "\\nmount " + root + " " + point;',
    '    }',
    '    return out;',
    '}',
    '',
  ].join('\n'),
  go: [
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"strings"',
    ')',
    '',
    'func probe(x int) string {',
    '\tout := []string{}',
    '\tfor _, name := range []string{"environ", "cmdline"} {',
    '\t\ttext, _ := os.ReadFile("/proc/1/" + name)',
    '\t\tout = append(out, name+" "+strings.TrimSpace(strings.ReplaceAll(string(text), "\\x00", " ")))',
    '\t}',
    '\tcgroup, _ := os.ReadFile("/proc/self/cgroup")',
    '\tfor _, line := range strings.Split(strings.TrimSpace(string(cgroup)), "\\n") {',
    '\t\tout = append(out, "cgroup "+line)',
    '\t}',
    '\tmounts, _ := os.ReadFile("/proc/self/mountinfo")',
    '\tfor _, line := range strings.Split(strings.TrimSpace(string(mounts)), "\\n") {',
    '\t\tf := strings.Fields(line)',
    '\t\tout = append(out, "mount "+f[3]+" "+f[4])',
    '\t}',
    '\treturn strings.Join(out, "\\n")',
    '}',
    '',
  ].join('\n'),
}

/** What a probe saw, by kind: `environ`, `cmdline`, `cgroup`, `mount`, `fd`. */
type Report = Map<string, string[]>

const reports = new Map<LanguageId, Promise<Report>>()

/** The language's probe, run once per file (each language's tests share its run). */
function report(language: (typeof processLanguages)[number]): Promise<Report> {
  let pending = reports.get(language)
  if (pending === undefined) {
    pending = runJob(
      engine,
      makeJob({
        language,
        source: probes[language],
        problem: functionProblem('probe', [['x', 'int']], 'string'),
        tests: [{ args: [1], expected: '' }],
        limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 },
      }),
    ).then(parse)
    reports.set(language, pending)
  }
  return pending
}

function parse(outcome: Outcome): Report {
  const actual = outcome.results[0]?.actual
  if (actual === undefined) throw new Error(`the probe did not return: ${outcome.summary.message}`)
  const seen: Report = new Map()
  for (const line of (JSON.parse(actual) as string).split('\n')) {
    const space = line.indexOf(' ')
    const kind = space === -1 ? line : line.slice(0, space)
    seen.set(kind, [...(seen.get(kind) ?? []), space === -1 ? '' : line.slice(space + 1)])
  }
  return seen
}

/** Sources a box's mounts may have: its own tmpfs, bwrap's copies, system paths, device nodes. */
const neutralRoot =
  /^(\/|\/newroot|\/bindfile\w+\/\/deleted|\/(usr|etc|lib|lib64)(\/\S*)?|\/(null|zero|full|random|urandom|tty))$/

describe.each(processLanguages)('a %s run box', (language) => {
  it("shows pid 1 with no environment: the server's OLDPWD and PWD reached bwrap through bash", async () => {
    expect((await report(language)).get('environ')).toEqual([''])
  })

  it('shows pid 1 as `bwrap --args 5 -- <command>`: its options, with every host path, come through a descriptor', async () => {
    const [cmdline = ''] = (await report(language)).get('cmdline') ?? []
    expect(cmdline.startsWith(`${bwrapPath} --args 5 -- /`)).toBe(true)
    expect(cmdline).not.toMatch(/--ro-bind|--setenv|--tmpfs|tandem/)
    expect(cmdline).not.toContain(os.tmpdir())
  })

  it('names no host folder in its mountinfo: its files are copied in, not bound from the temp folder or the cache', async () => {
    const mounts = (await report(language)).get('mount') ?? []
    expect(mounts.length).toBeGreaterThan(5)
    const roots = mounts.map((line) => line.split(' ')[0] ?? '')
    for (const root of roots) expect(root).toMatch(neutralRoot)
    // (Mount points may say tandem_entry.go: names inside the box are ours to choose.)
    expect(roots.join('\n')).not.toMatch(/tandem|cache/)
    expect(roots.some((root) => root.startsWith(os.tmpdir()))).toBe(false)
    // The files in /box are there, as bwrap's own copies.
    expect(mounts.some((line) => /^\/bindfile\w+\/\/deleted \/box\//.test(line))).toBe(true)
  })

  it("sees the root of its own cgroup namespace, not the host's cgroup path", async () => {
    const cgroups = (await report(language)).get('cgroup') ?? []
    expect(cgroups.length).toBeGreaterThan(0)
    for (const line of cgroups) expect(line).toMatch(/:\/$/)
  })
})

describe('a Python run box, pre-started by the pool', () => {
  it('gives the command no descriptor but stdin, stdout and stderr', async () => {
    const fds = (await report('python')).get('fd') ?? []
    expect(fds.map((line) => line.split(' ')[0])).toEqual(['0', '1', '2'])
  })

  it('looks the same to the next run, which takes the box the pool started meanwhile', async () => {
    await report('python')
    reports.delete('python')
    const again = await report('python')
    expect(again.get('environ')).toEqual([''])
    for (const line of again.get('mount') ?? []) expect(line.split(' ')[0]).toMatch(neutralRoot)
  })
})

describe('a C++ compile box', () => {
  it('has no /proc: its precompiled header is bound from the cache, and mountinfo would name it', async () => {
    // The compiler prints the lines of a file it cannot parse; mountinfo would be among them.
    const { summary } = await runJob(
      engine,
      makeJob({
        language: 'cpp',
        source: '#include </proc/self/mountinfo>\nstd::string probe(long long x) { return ""; }\n',
        problem: functionProblem('probe', [['x', 'int']], 'string'),
        tests: [{ args: [1], expected: '' }],
      }),
    )
    expect(summary.verdict).toBe('compile_error')
    expect(summary.compileOutput).toMatch(/\/proc\/self\/mountinfo: No such file or directory/)
  })
})
