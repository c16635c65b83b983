/**
 * Reads the tar stream a compile box writes to fd 3 (GNU or ustar format). Only plain files in
 * one flat folder are accepted: a link, a device, a sub-folder path or `..` is refused, so
 * nothing a box sends can make the host write outside the cache entry it unpacks into.
 */

export interface TarFile {
  name: string
  /** Permission bits, e.g. 0o755 for an executable. */
  mode: number
  data: Buffer
}

export class TarFormatError extends Error {
  override name = 'TarFormatError'
}

const block = 512
const safeName = /^[A-Za-z0-9_$][A-Za-z0-9_$.+-]{0,250}$/

/** A flat file name a compiler may produce: no folder, no leading dot. */
export function isSafeArtifactName(name: string): boolean {
  return safeName.test(name)
}

export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = []
  let offset = 0
  let longName: string | undefined
  while (offset + block <= archive.length) {
    const header = archive.subarray(offset, offset + block)
    if (header.every((byte) => byte === 0)) break
    const size = octal(header, 124, 12)
    const type = String.fromCharCode(header[156] ?? 0)
    const dataStart = offset + block
    const dataEnd = dataStart + size
    if (dataEnd > archive.length) throw new TarFormatError('truncated archive')
    offset = dataStart + Math.ceil(size / block) * block
    if (type === 'L') {
      // GNU long name: the next header's name is in this entry's data.
      longName = cString(archive.subarray(dataStart, dataEnd))
      continue
    }
    const prefix = cString(header.subarray(345, 500))
    const shortName = cString(header.subarray(0, 100))
    const fullName = longName ?? (prefix === '' ? shortName : `${prefix}/${shortName}`)
    longName = undefined
    const name = fullName.replace(/^(\.\/)+/, '').replace(/\/$/, '')
    if (type === '5') {
      if (name === '' || name === '.') continue
      throw new TarFormatError(`unexpected folder ${JSON.stringify(name)}`)
    }
    if (type !== '0' && type !== '\0') {
      throw new TarFormatError(`unexpected entry type ${JSON.stringify(type)} for ${name}`)
    }
    if (!safeName.test(name)) throw new TarFormatError(`unsafe file name ${JSON.stringify(name)}`)
    const mode = octal(header, 100, 8) & 0o755
    files.push({ name, mode, data: Buffer.from(archive.subarray(dataStart, dataEnd)) })
  }
  return files
}

function octal(header: Buffer, start: number, length: number): number {
  const text = cString(header.subarray(start, start + length)).trim()
  if (text === '') return 0
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad number field ${JSON.stringify(text)}`)
  return parseInt(text, 8)
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0)
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8')
}
