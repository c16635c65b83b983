/**
 * What a built web asset weighs as a gzip-only client receives it: the precompressed `.gz` the
 * build writes beside it, or the file itself when it is too small to be compressed (under 1 KB).
 * Shared by the browser tests' JS budget and the web benchmark.
 */
import { statSync } from 'node:fs'
import path from 'node:path'

/** Gzipped bytes of the asset `url` names inside `dist` (a web build's output directory). */
export function gzippedAssetSize(url: string, dist: string): number {
  return assetSize(url, dist, 'gzip')
}

/** Bytes of the asset `url` names as sent with `Content-Encoding: encoding` (null: none). */
export function assetSize(url: string, dist: string, encoding: string | null): number {
  const file = path.join(dist, new URL(url).pathname)
  const extension = encoding === 'br' ? '.br' : encoding === 'gzip' ? '.gz' : ''
  try {
    return statSync(file + extension).size
  } catch {
    return statSync(file).size
  }
}
