/**
 * Compiled output by content hash, on the host, outside every box. An entry is a folder of the
 * files a compile box sent through its artifact pipe, written by the host (never by a box) and
 * mounted read-only into run boxes. Re-running unchanged code skips the compiler.
 *
 * Entries appear atomically (written to a temporary name, then renamed), concurrent compiles of
 * the same key share one compiler run, and the least recently used entries beyond `maxEntries`
 * are removed. Deterministic compile errors are remembered in memory too.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises'
import path from 'node:path'
import type { TarFile } from './readTar.ts'

export interface CompileCacheOptions {
  /** Folder of the entries; created 0755 when missing, refused when another user owns it. */
  dir: string
  /** Entries kept; default 500. */
  maxEntries?: number
}

export type CompileOutcome =
  { ok: true; dir: string; output: string } | { ok: false; output: string }

export class CompileCache {
  readonly dir: string
  private readonly maxEntries: number
  private readonly inFlight = new Map<string, Promise<CompileOutcome>>()
  /** Remembered compile errors: key → compiler output. */
  private readonly failures = new Map<string, string>()
  /** Entries this process relies on (prebuilds): never evicted by it. */
  private readonly pinned = new Set<string>()

  private constructor(dir: string, maxEntries: number) {
    this.dir = dir
    this.maxEntries = maxEntries
  }

  static async open(options: CompileCacheOptions): Promise<CompileCache> {
    const dir = path.resolve(options.dir)
    await mkdir(dir, { recursive: true, mode: 0o755 })
    const info = await lstat(dir)
    // Another user's folder (or a symlink planted in a shared /tmp) could feed us its files.
    if (!info.isDirectory() || info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) {
      throw new Error(
        `compile cache ${dir} must be a folder owned by this user, not writable by others`,
      )
    }
    await chmod(dir, 0o755)
    return new CompileCache(dir, options.maxEntries ?? 500)
  }

  /** The key of everything that decides a compiler's output. */
  static key(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
  }

  /**
   * The cached outcome for `key`, or `compile()`'s, stored when it is deterministic
   * (`remember` false: a timeout or out-of-memory depends on the machine's load).
   */
  async getOrCompile(
    key: string,
    compile: () => Promise<{
      outcome: { files: TarFile[]; output: string } | { error: string }
      remember: boolean
    }>,
  ): Promise<CompileOutcome> {
    const failure = this.failures.get(key)
    if (failure !== undefined) return { ok: false, output: failure }
    const entry = path.join(this.dir, key)
    if (await isDir(entry)) {
      const now = new Date()
      await utimes(entry, now, now).catch(() => undefined)
      const output = await readOutput(entry)
      return { ok: true, dir: entry, output }
    }
    const running = this.inFlight.get(key)
    if (running !== undefined) return running
    const promise = (async (): Promise<CompileOutcome> => {
      const { outcome, remember } = await compile()
      if ('error' in outcome) {
        if (remember) this.remember(key, outcome.error)
        return { ok: false, output: outcome.error }
      }
      // Each file reaches a run box through a descriptor of its own (Box.ts).
      if (outcome.files.length > maxArtifactFiles) {
        const output = `The compiled program has more than ${maxArtifactFiles} files (classes).`
        this.remember(key, output)
        return { ok: false, output }
      }
      await this.store(key, outcome.files, outcome.output)
      return { ok: true, dir: entry, output: outcome.output }
    })()
    this.inFlight.set(key, promise)
    try {
      return await promise
    } finally {
      this.inFlight.delete(key)
    }
  }

  /** Writes an entry atomically; `files` come from readTar, so their names are flat and safe. */
  async store(key: string, files: TarFile[], output: string, subdir = ''): Promise<string> {
    const entry = path.join(this.dir, key)
    const temporary = path.join(this.dir, `.tmp-${key}-${randomBytes(6).toString('hex')}`)
    const target = path.join(temporary, subdir)
    await mkdir(target, { recursive: true, mode: 0o755 })
    for (const file of files) {
      await writeFile(path.join(target, file.name), file.data, {
        mode: file.mode | 0o644,
        flag: 'wx',
      })
    }
    await writeFile(path.join(temporary, outputFile), output, { mode: 0o644, flag: 'wx' })
    try {
      await rename(temporary, entry)
    } catch {
      // Another process stored the same key first; theirs is as good as ours.
      await rm(temporary, { recursive: true, force: true })
    }
    await this.evict(key)
    return entry
  }

  /** An entry's folder when present; marks it recently used. */
  async lookup(key: string): Promise<string | undefined> {
    const entry = path.join(this.dir, key)
    if (!(await isDir(entry))) return undefined
    const now = new Date()
    await utimes(entry, now, now).catch(() => undefined)
    return entry
  }

  /** Keeps an entry from this process's evictions (another process sharing the folder may not). */
  pin(key: string): void {
    this.pinned.add(key)
  }

  private remember(key: string, output: string): void {
    this.failures.set(key, output)
    if (this.failures.size > 100) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
  }

  /** Removes the least recently used entries beyond the limit, never `keep` (just written). */
  private async evict(keep: string): Promise<void> {
    const names = (await readdir(this.dir)).filter(
      (name) => /^[0-9a-f]{64}$/.test(name) && name !== keep && !this.pinned.has(name),
    )
    if (names.length + 1 <= this.maxEntries) return
    const dated = await Promise.all(
      names.map(async (name) => ({
        name,
        time: (await stat(path.join(this.dir, name)).catch(() => undefined))?.mtimeMs ?? 0,
      })),
    )
    dated.sort((a, b) => a.time - b.time)
    for (const { name } of dated.slice(0, dated.length + 1 - this.maxEntries)) {
      await rm(path.join(this.dir, name), { recursive: true, force: true })
    }
  }
}

/** Files one compile may produce (Java: one per class), well within a box's `maxBoxFiles`. */
export const maxArtifactFiles = 64

/** The compiler's diagnostics on success (warnings), kept beside the artifacts. */
const outputFile = '.compile-output'

async function readOutput(entry: string): Promise<string> {
  return readFile(path.join(entry, outputFile), 'utf8').catch(() => '')
}

async function isDir(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => undefined))?.isDirectory() === true
}
