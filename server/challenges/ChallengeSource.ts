/**
 * Where challenges come from. A source hands over each challenge's files as text; the parser
 * (parseChallenge.ts) turns them into a challenge and its version, whatever the source. Today's
 * source is the challenges folder on disk (readChallengeFolder.ts); challenges authored in the
 * app will be a second source reading the same file sets from the store.
 */
import type { ChallengeProblem } from './parseChallenge.ts'

/** The files of one challenge: path inside its folder (`/`-separated, e.g. `starter/solution.py`) → text. */
export type ChallengeFileSet = Readonly<Record<string, string>>

export interface SourcedChallenge {
  slug: string
  files: ChallengeFileSet
}

export interface ChallengeSource {
  /**
   * Every challenge the source holds, in slug order. What cannot be read at all (the folder is
   * missing) is a problem; whether the files make a valid challenge is the parser's to say.
   */
  read(): Promise<{ challenges: SourcedChallenge[]; problems: ChallengeProblem[] }>
}

/** A source of file sets held in memory: imported or generated challenges, and tests. */
export function memorySource(challenges: readonly SourcedChallenge[]): ChallengeSource {
  const sorted = [...challenges].sort((a, b) => a.slug.localeCompare(b.slug))
  return { read: () => Promise.resolve({ challenges: sorted, problems: [] }) }
}
