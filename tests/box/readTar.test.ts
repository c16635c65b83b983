/**
 * The host's reader of a compile box's artifact stream: plain files in one flat folder only.
 * Archives are made with the system's tar, as the compile box does.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readTar, TarFormatError } from '../../sandbox/box/readTar.ts'

const run = promisify(execFile)
let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-tar-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function archive(): Promise<Buffer> {
  const { stdout } = await run('tar', ['--format=gnu', '-C', dir, '-cf', '-', '.'], {
    encoding: 'buffer',
  })
  return stdout
}

describe('readTar', () => {
  it('reads plain files with their permission bits, long names included', async () => {
    const long = `Solution$${'Inner'.repeat(30)}.class`
    await writeFile(path.join(dir, 'prog'), 'binary', { mode: 0o755 })
    await writeFile(path.join(dir, long), 'class')
    const files = readTar(await archive())
    expect(files.map((f) => [f.name, f.mode, f.data.toString()]).sort()).toEqual(
      [
        ['prog', 0o755, 'binary'],
        [long, 0o644, 'class'],
      ].sort(),
    )
  })

  it('refuses a symbolic link', async () => {
    await symlink('/etc/shadow', path.join(dir, 'prog'))
    await expect(async () => readTar(await archive())).rejects.toThrow(TarFormatError)
  })

  it('refuses a file in a sub-folder', async () => {
    await mkdir(path.join(dir, 'sub'))
    await writeFile(path.join(dir, 'sub', 'x'), 'x')
    await expect(async () => readTar(await archive())).rejects.toThrow(/unexpected folder/)
  })

  it('refuses a name with a path in it', () => {
    const header = Buffer.alloc(512)
    header.write('../../etc/passwd', 0)
    header.write('0000644\0', 100)
    header.write('00000000000\0', 124)
    header.write('0', 156)
    expect(() => readTar(Buffer.concat([header, Buffer.alloc(1024)]))).toThrow(/unsafe file name/)
  })
})
