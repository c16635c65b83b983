/**
 * A throwaway checkout of this server that serves another web build: server/, protocol/ and
 * sandbox/ copied (the server finds its web build at ../web/dist from its own file), node_modules
 * and package.json linked, web/dist linked to `dist`. ServerProcess runs it with `root`.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const projectRoot = path.resolve(import.meta.dirname, '../..')

export interface ServerCheckout {
  root: string
  close(): void
}

export function serverCheckout(dist: string): ServerCheckout {
  const root = mkdtempSync(path.join(tmpdir(), 'tandem-web-bench-'))
  for (const dir of ['server', 'protocol', 'sandbox']) {
    cpSync(path.join(projectRoot, dir), path.join(root, dir), { recursive: true })
  }
  for (const entry of ['node_modules', 'package.json']) {
    symlinkSync(path.join(projectRoot, entry), path.join(root, entry))
  }
  mkdirSync(path.join(root, 'web'))
  symlinkSync(dist, path.join(root, 'web', 'dist'))
  return { root, close: () => rmSync(root, { recursive: true, force: true }) }
}
