/**
 * The catalog over its sources and the store: every version it loads is kept, an older version
 * is found (parsed again from the stored files) after the source has moved on, and a slug offered
 * by two sources is one challenge, reported once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChallengeCatalog } from '../../server/challenges/ChallengeCatalog.ts'
import { memorySource } from '../../server/challenges/ChallengeSource.ts'
import { readChallengeFolder } from '../../server/challenges/readChallengeFolder.ts'
import { TandemError } from '../../server/errors.ts'
import { openMemoryStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'

const twoSum = await readChallengeFolder('challenges/two-sum')
let store: Store
beforeEach(() => {
  store = openMemoryStore()
})
afterEach(() => store.close())

describe('the challenge catalog', () => {
  it('finds a version the source no longer has, from the files kept in the store', async () => {
    const first = await ChallengeCatalog.open({
      sources: [memorySource([{ slug: 'two-sum', files: twoSum }])],
      store,
    })
    const v1 = first.catalog.get('two-sum')
    expect(await store.challengeVersions.get('two-sum', v1.version)).toMatchObject({
      files: v1.files,
    })

    const edited = { ...twoSum, 'statement.md': '# Two Sum\n\nThe second edition.\n' }
    const second = await ChallengeCatalog.open({
      sources: [memorySource([{ slug: 'two-sum', files: edited }])],
      store,
    })
    const v2 = second.catalog.get('two-sum')
    expect(v2.version).not.toBe(v1.version)
    expect(v2.statementHtml).toContain('second edition')
    const pinned = await second.catalog.pinned('two-sum', v1.version)
    expect(pinned.statementHtml).toBe(v1.statementHtml)
    expect(pinned.tests).toEqual(v1.tests)
    expect((await store.challengeVersions.list('two-sum')).map((v) => v.version)).toEqual([
      v1.version,
      v2.version,
    ])
    const unknown = await second.catalog
      .pinned('two-sum', '0123456789abcdef')
      .catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(TandemError)
    expect((unknown as TandemError).code).toBe('not_found')
  })

  it('offers the challenges of several sources, and a slug two sources share only once', async () => {
    const { catalog, problems } = await ChallengeCatalog.open({
      sources: [
        memorySource([{ slug: 'two-sum', files: twoSum }]),
        memorySource([
          { slug: 'team-two-sum', files: twoSum },
          { slug: 'two-sum', files: { ...twoSum, 'statement.md': '# Imposter\n' } },
        ]),
      ],
      store,
    })
    expect(catalog.list().map((c) => c.slug)).toEqual(['two-sum', 'team-two-sum'])
    expect(catalog.get('two-sum').statementHtml).not.toContain('Imposter')
    expect(problems).toEqual([
      { file: 'two-sum', field: '', message: 'another source already has this slug' },
    ])
  })
})
