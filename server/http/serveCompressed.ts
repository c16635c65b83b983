/**
 * Serves the web build's precompressed siblings (`app.js.br`, `app.js.gz`, written at build time)
 * when the browser accepts them, so assets leave compressed without per-request CPU.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { NextFunction, Request, Response } from 'express'

const encodings = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const

export function serveCompressed(root: string) {
  const known = new Map<string, boolean>()
  const exists = (file: string): boolean => {
    let hit = known.get(file)
    if (hit === undefined) {
      hit = existsSync(file)
      known.set(file, hit)
    }
    return hit
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next()
      return
    }
    // req.path is decoded and starts with '/'; normalising keeps it inside root.
    const relative = path.normalize(decodeURIComponent(req.path)).replace(/^([/\\])+/, '')
    if (relative.startsWith('..')) {
      next()
      return
    }
    const accepted = req.headers['accept-encoding'] ?? ''
    for (const encoding of encodings) {
      const file = path.join(root, relative + encoding.extension)
      if (!accepted.includes(encoding.name) || !exists(file)) continue
      res.setHeader('Content-Encoding', encoding.name)
      res.setHeader('Vary', 'Accept-Encoding')
      res.type(path.extname(relative))
      res.sendFile(file, { immutable: true, maxAge: '1y' })
      return
    }
    next()
  }
}
