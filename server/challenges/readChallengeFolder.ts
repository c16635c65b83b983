/**
 * The folder source: each directory under the challenges directory is one challenge, its files
 * read as text. Dot-files and dot-folders (editor and VCS litter) are left out. A symbolic link
 * to a file is read as that file (one solution shared by two challenges); links to folders are
 * not followed, so a loop cannot hang the start.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ChallengeFileSet, ChallengeSource } from './ChallengeSource.ts'
import type { ChallengeProblem } from './parseChallenge.ts'

export function folderSource(dir: string): ChallengeSource {
  return {
    read: async () => {
      const problems: ChallengeProblem[] = []
      let entries
      try {
        entries = await readdir(dir, { withFileTypes: true })
      } catch (error) {
        problems.push({
          file: dir,
          field: '',
          message: `cannot read the challenges folder: ${String(error)}`,
        })
        return { challenges: [], problems }
      }
      const slugs = entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort()
      const challenges = []
      for (const slug of slugs) {
        try {
          challenges.push({ slug, files: await readChallengeFolder(path.join(dir, slug)) })
        } catch (error) {
          problems.push({ file: slug, field: '', message: `cannot read: ${String(error)}` })
        }
      }
      return { challenges, problems }
    },
  }
}

/** Every file under `folder` (one challenge), by `/`-separated path inside it. */
export async function readChallengeFolder(folder: string): Promise<ChallengeFileSet> {
  const files: Record<string, string> = {}
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(folder, relative), { withFileTypes: true })
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const inside = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) await walk(inside)
      else if (entry.isFile() || (await isLinkToFile(path.join(folder, inside))))
        files[inside] = await readFile(path.join(folder, inside), 'utf8')
    }
  }
  await walk('')
  return files
}

async function isLinkToFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}
