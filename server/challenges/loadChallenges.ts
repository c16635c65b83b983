/**
 * Challenges from a folder on disk: the folder source (readChallengeFolder.ts) through the
 * parser (parseChallenge.ts). A bad challenge is reported with its file and field and skipped;
 * the others still load. Used by the CLI, the tests and the server's catalog.
 */
import path from 'node:path'
import type { ChallengeSource } from './ChallengeSource.ts'
import {
  ChallengeFileError,
  parseChallenge,
  type Challenge,
  type ChallengeProblem,
} from './parseChallenge.ts'
import { folderSource, readChallengeFolder } from './readChallengeFolder.ts'

export type { Challenge, ChallengeProblem } from './parseChallenge.ts'

export interface LoadedChallenges {
  challenges: Map<string, Challenge>
  problems: ChallengeProblem[]
}

/** Parses every challenge a source holds. */
export async function loadFromSource(source: ChallengeSource): Promise<LoadedChallenges> {
  const read = await source.read()
  const challenges = new Map<string, Challenge>()
  const problems = [...read.problems]
  for (const { slug, files } of read.challenges) {
    const parsed = parseChallenge(slug, files)
    if (parsed.ok) challenges.set(slug, parsed.challenge)
    else problems.push(...parsed.problems)
  }
  return { challenges, problems }
}

export function loadChallenges(dir: string): Promise<LoadedChallenges> {
  return loadFromSource(folderSource(dir))
}

/** One challenge folder, `root/slug`; throws an error listing its problems when it is invalid. */
export async function loadChallenge(root: string, slug: string): Promise<Challenge> {
  const parsed = parseChallenge(slug, await readChallengeFolder(path.join(root, slug)))
  if (!parsed.ok) throw new ChallengeFileError(parsed.problems)
  return parsed.challenge
}
