/**
 * A challenge's version: a content hash of the files it was parsed from. The same files give the
 * same version on every machine and from every source: paths are sorted, line endings are
 * normalised by the parser before they get here, and each path and text is length-prefixed so no
 * two file sets hash alike by moving bytes between a path and a text.
 */
import { createHash } from 'node:crypto'
import type { ChallengeFileSet } from './ChallengeSource.ts'

/** Hex characters kept of the SHA-256: 64 bits, enough to tell one challenge's edits apart. */
const versionLength = 16

export function challengeVersion(files: ChallengeFileSet): string {
  const hash = createHash('sha256')
  for (const file of Object.keys(files).sort()) {
    const text = files[file] ?? ''
    hash.update(`${Buffer.byteLength(file)}:${file}\n${Buffer.byteLength(text)}:`)
    hash.update(text)
    hash.update('\n')
  }
  return hash.digest('hex').slice(0, versionLength)
}
