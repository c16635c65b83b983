import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChallengeSummary } from '../../protocol/api.ts'
import { loadChallenges } from '../../server/challenges/loadChallenges.ts'
import { setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let dir: string

/** A copy of two-sum under `slug`, with `change` applied to its files. */
function variant(slug: string, change: (folder: string) => void): void {
  const folder = path.join(dir, slug)
  cpSync('challenges/two-sum', folder, { recursive: true })
  change(folder)
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tandem-challenges-'))
  cpSync('challenges/two-sum', path.join(dir, 'two-sum'), { recursive: true })
  variant('broken-json', (f) => writeFileSync(path.join(f, 'challenge.json'), '{ "title": '))
  variant('bad-difficulty', (f) =>
    writeFileSync(
      path.join(f, 'challenge.json'),
      JSON.stringify({ title: 'X', difficulty: 'impossible', style: 'stdio' }),
    ),
  )
  variant('bad-type', (f) =>
    writeFileSync(
      path.join(f, 'challenge.json'),
      JSON.stringify({
        title: 'X',
        difficulty: 'easy',
        style: 'function',
        signature: { function: 'f', params: [{ name: 'a', type: 'list<int>' }], returns: 'int' },
      }),
    ),
  )
  variant('wrong-expected', (f) =>
    writeFileSync(
      path.join(f, 'tests.json'),
      JSON.stringify({
        tests: [{ name: 'one', input: { nums: [1, 2], target: 3 }, expected: 'zero and one' }],
      }),
    ),
  )
  variant('missing-argument', (f) =>
    writeFileSync(
      path.join(f, 'tests.json'),
      JSON.stringify({ tests: [{ name: 'one', input: { nums: [1, 2] }, expected: [0, 1] }] }),
    ),
  )
  variant('no-statement', (f) => rmSync(path.join(f, 'statement.md')))
  variant('Bad_Slug', () => undefined)
  variant('script-in-statement', (f) =>
    writeFileSync(
      path.join(f, 'statement.md'),
      '# Hi\n\n<script>alert(1)</script><img src=x onerror=alert(2)>\n',
    ),
  )
  mkdirSync(path.join(dir, 'empty-folder'))
  // The interviewer-only part: its file, its rubric, and statements that still carry its text.
  variant('no-interviewer-file', (f) => rmSync(path.join(f, 'interviewer.md')))
  variant('no-rubric', (f) =>
    writeFileSync(path.join(f, 'interviewer.md'), '## What this assesses\n\nHash maps.\n'),
  )
  variant('three-levels', (f) =>
    writeFileSync(
      path.join(f, 'interviewer.md'),
      'Notes.\n\n## Rubric\n\n### Approach\n\n1. a\n2. b\n3. c\n4. d\n\n' +
        '### Correctness\n\n1. a\n2. b\n3. c\n',
    ),
  )
  variant('bulleted-levels', (f) =>
    writeFileSync(
      path.join(f, 'interviewer.md'),
      'Notes.\n\n## Rubric\n\n### Approach\n\n- a\n- b\n- c\n- d\n',
    ),
  )
  variant('same-criterion-twice', (f) =>
    writeFileSync(
      path.join(f, 'interviewer.md'),
      'Notes.\n\n## Rubric\n\n### Approach\n\n1. a\n2. b\n3. c\n4. d\n\n' +
        '### approach\n\n1. a\n2. b\n3. c\n4. d\n',
    ),
  )
  variant('assesses-in-statement', (f) =>
    writeFileSync(
      path.join(f, 'statement.md'),
      '# Two Sum\n\nFind two numbers.\n\n## What this assesses\n\nHash maps.\n',
    ),
  )
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loading challenges', () => {
  it('reports each bad challenge with its file and field, and loads the good ones', async () => {
    const { challenges, problems } = await loadChallenges(dir)
    expect([...challenges.keys()].sort()).toEqual(['script-in-statement', 'two-sum'])
    const where = (slug: string) => problems.filter((p) => p.file.startsWith(`${slug}/`))
    expect(where('broken-json')[0]).toMatchObject({ file: 'broken-json/challenge.json', field: '' })
    expect(where('broken-json')[0]?.message).toMatch(/not valid JSON/)
    expect(where('bad-difficulty').map((p) => p.field)).toContain('difficulty')
    expect(where('bad-type')[0]).toMatchObject({
      file: 'bad-type/challenge.json',
      field: 'signature.params.0.type',
    })
    expect(where('bad-type')[0]?.message).toMatch(/unknown type "list"/)
    expect(where('wrong-expected')[0]).toMatchObject({
      file: 'wrong-expected/tests.json',
      field: 'tests.0.expected',
    })
    expect(where('missing-argument')[0]).toMatchObject({ field: 'tests.0.input' })
    expect(where('missing-argument')[0]?.message).toMatch(/missing argument "target"/)
    expect(where('no-statement')[0]).toMatchObject({ file: 'no-statement/statement.md' })
    expect(where('Bad_Slug')[0]?.message).toMatch(/lowercase/)
    expect(where('empty-folder')[0]).toMatchObject({ file: 'empty-folder/challenge.json' })
  })

  it('names the file and field when the interviewer-only part is missing or malformed', async () => {
    const { problems } = await loadChallenges(dir)
    const at = (slug: string) => problems.find((p) => p.file.startsWith(`${slug}/`))
    expect(at('no-interviewer-file')).toMatchObject({ file: 'no-interviewer-file/interviewer.md' })
    expect(at('no-interviewer-file')?.message).toMatch(/missing/)
    expect(at('no-rubric')).toMatchObject({ file: 'no-rubric/interviewer.md', field: 'rubric' })
    expect(at('no-rubric')?.message).toMatch(/## Rubric/)
    expect(at('three-levels')).toMatchObject({
      file: 'three-levels/interviewer.md',
      field: 'rubric.2.levels',
    })
    expect(at('three-levels')?.message).toMatch(/"Correctness": needs 4 scores, found 3/)
    // A bulleted list would lose which level is which.
    expect(at('bulleted-levels')).toMatchObject({ field: 'rubric.1.levels' })
    expect(at('bulleted-levels')?.message).toMatch(/numbered list, "1\." to "4\."/)
    // Scorecards refer to a criterion by an id made from its name, so two must not share one.
    expect(at('same-criterion-twice')).toMatchObject({ field: 'rubric.2' })
    expect(at('same-criterion-twice')?.message).toMatch(/must differ/)
  })

  it('refuses a statement that still carries interviewer-only text, which candidates would read', async () => {
    const { problems } = await loadChallenges(dir)
    const problem = problems.find((p) => p.file.startsWith('assesses-in-statement/'))
    expect(problem).toMatchObject({ file: 'assesses-in-statement/statement.md' })
    expect(problem?.message).toMatch(/What this assesses.*move it to interviewer\.md/)
  })

  it('parses the rubric into criteria with what each score from 1 to 4 means', async () => {
    const { challenges } = await loadChallenges(dir)
    const guide = challenges.get('two-sum')?.interviewer
    expect(guide?.notesHtml).toContain('What this assesses')
    expect(guide?.notesHtml).not.toContain('Rubric')
    expect(guide?.rubric.map((c) => c.id)).toEqual(['approach', 'correctness', 'communication'])
    expect(guide?.rubric[0]?.levels).toHaveLength(4)
  })

  it('sanitises statements: no script survives', async () => {
    const { challenges } = await loadChallenges(dir)
    const html = challenges.get('script-in-statement')?.statementHtml ?? ''
    expect(html).toContain('<h1>Hi</h1>')
    expect(html).not.toMatch(/<script|onerror|alert\(1\)/)
  })

  it('does not stop the server: it starts and offers the good challenges', async () => {
    let server: TestServer | undefined
    try {
      server = await startTestServer({ env: { CHALLENGES_DIR: dir } })
      expect(server.tandem.challengeProblems.length).toBeGreaterThan(5)
      const { api } = await setUpInterviewer(server.url)
      const list = await api.get<ChallengeSummary[]>('/api/challenges')
      expect(list.body.map((c) => c.slug).sort()).toEqual(['script-in-statement', 'two-sum'])
    } finally {
      await server?.cleanup()
    }
  })
})
