/**
 * A run job's file tree at the edges (issue 14 B.4): the paths a job may carry, checked when the
 * server builds a job (RunJob) and again when the sandbox process parses one (the IPC schema),
 * since the sandbox writes those files on the host before any box exists. A path that climbs
 * out of the job's folder (`../x`), an absolute path, a hidden file or a file outside the entry's
 * folder is refused with its reason; what a job carries beside its entry is relative to it.
 */
import { describe, expect, it } from 'vitest'
import {
  filesBesideEntry,
  jobFileRules,
  jobPathProblem,
  jobSourceBytes,
  RunJob,
} from '../../protocol/run.ts'
import { ParentMessageSchema } from '../../sandbox/ipc.ts'
import { fromZodError } from '../../server/errors.ts'
import { jsJob, twoSumJs } from '../sandbox/jsKit.ts'

function treeJob(paths: string[], entry = 'two-sum/solution.js'): RunJob {
  return {
    ...jsJob({ code: twoSumJs }),
    entry,
    files: [entry, ...paths].map((path) => ({ path, content: `// ${path}\n` })),
  }
}

function issues(job: unknown): { path: string; message: string }[] {
  const parsed = RunJob.safeParse(job)
  return parsed.success ? [] : (fromZodError(parsed.error).issues ?? [])
}

describe('a run job’s paths', () => {
  it.each([
    ['../secret.js', 'a path is relative'],
    ['two-sum/../../etc/passwd', 'a path is relative'],
    ['/etc/passwd', 'a path is relative'],
    ['two-sum/.env', 'do not start with a dot'],
    ['two-sum/./util.js', 'do not start with a dot'],
    ['two-sum//util.js', 'a path is relative'],
    ['two-sum/util.js\u0000.py', 'a path is relative'],
    ['two-sum/a b.js', 'a path is relative'],
    [`two-sum/${'a/'.repeat(8)}x.js`, `at most ${jobFileRules.maxDepth} folders deep`],
    [`two-sum/${'x'.repeat(jobFileRules.maxLength)}.js`, 'characters'],
  ])('refuses %j, saying why', (path, reason) => {
    const problem = jobPathProblem(path)
    expect(problem).toContain(reason)
    // A path outside two-sum/ is also outside the entry's folder: that is said as well.
    expect(issues(treeJob([path]))).toContainEqual({ path: 'files.1.path', message: problem })
  })

  it('accepts a tree of ordinary names, in folders, under the entry’s folder', () => {
    const job = treeJob(['two-sum/util.js', 'two-sum/lib/pairs.js', 'two-sum/data_1.json'])
    expect(issues(job)).toEqual([])
    expect(filesBesideEntry(job).map((file) => file.path)).toEqual([
      'util.js',
      'lib/pairs.js',
      'data_1.json',
    ])
  })

  it('refuses a file outside the entry’s folder, two files at one path, and a missing entry', () => {
    expect(issues(treeJob(['other-challenge/solution.js']))).toEqual([
      {
        path: 'files',
        message: "other-challenge/solution.js is outside the entry's folder two-sum",
      },
    ])
    expect(issues(treeJob(['two-sum/util.js', 'two-sum/util.js']))).toEqual([
      { path: 'files', message: 'two files have one path' },
    ])
    const job = treeJob(['two-sum/util.js'])
    expect(issues({ ...job, entry: 'two-sum/main.js' })).toEqual([
      { path: 'entry', message: 'the entry is not a file' },
    ])
  })

  it(`refuses more than ${jobFileRules.maxFiles} files`, () => {
    const paths = Array.from({ length: jobFileRules.maxFiles }, (_, i) => `two-sum/f${i}.js`)
    expect(issues(treeJob(paths)).map((issue) => issue.path)).toEqual(['files'])
  })

  it('counts every file’s bytes toward the source limit', () => {
    const job = treeJob(['two-sum/util.js'])
    expect(jobSourceBytes(job)).toBe(
      '// two-sum/solution.js\n'.length + '// two-sum/util.js\n'.length,
    )
  })

  it('are checked again where the sandbox process parses a job', () => {
    const job = { ...treeJob(['two-sum/../../x.js']), tests: [] }
    const parsed = ParentMessageSchema.safeParse({ type: 'run', job })
    expect(parsed.success).toBe(false)
    expect(parsed.error === undefined ? [] : fromZodError(parsed.error).issues).toEqual([
      { path: 'job.files.1.path', message: jobPathProblem('two-sum/../../x.js') },
    ])
    const outside = { ...treeJob(['elsewhere/x.js']), tests: [] }
    expect(ParentMessageSchema.safeParse({ type: 'run', job: outside }).success).toBe(false)
  })
})
