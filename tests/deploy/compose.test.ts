/**
 * No Docker engine runs where these tests run, so the deployment files are checked another way:
 * parsed, and cross-checked against the code they deploy (settings Tandem really reads, paths
 * that exist, the health endpoint, the toolchains CI installs).
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { z } from 'zod'
import { configVariables, loadConfig } from '../../server/config.ts'

const Compose = z.object({
  services: z.record(
    z.string(),
    z.object({
      build: z.string().optional(),
      environment: z.record(z.string(), z.string()).optional(),
      ports: z.array(z.string()).optional(),
      volumes: z.array(z.string()).optional(),
      healthcheck: z.object({ test: z.array(z.string()) }).optional(),
    }),
  ),
  volumes: z.record(z.string(), z.unknown()).optional(),
})

const compose = Compose.parse(parse(readFileSync('docker-compose.yml', 'utf8')))
const dockerfile = readFileSync('Dockerfile', 'utf8')
/** Compose's `${NAME:-default}` as a shell would expand it with NAME unset. */
const expandDefaults = (value: string): string => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1')

describe('docker-compose.yml', () => {
  const tandem = compose.services.tandem
  const environment = Object.fromEntries(
    Object.entries(tandem?.environment ?? {}).map(([k, v]) => [k, expandDefaults(v)]),
  )

  it('builds the Dockerfile in this folder', () => {
    expect(tandem?.build).toBe('.')
    expect(existsSync('Dockerfile')).toBe(true)
  })

  it('sets only settings Tandem reads, with values it accepts', () => {
    for (const name of Object.keys(environment)) expect(configVariables).toContain(name)
    const config = loadConfig(environment)
    expect(config.port).toBe(3000)
    expect(config.docFlushMs).toBeLessThanOrEqual(500)
  })

  it('publishes the port the server listens on and checks /healthz on it', () => {
    expect(tandem?.ports).toContain(`${environment.PORT}:${environment.PORT}`)
    expect(tandem?.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${environment.PORT}/healthz`)
  })

  it('keeps the data directory on a named volume', () => {
    const mount = tandem?.volumes?.find((v) => v.endsWith(`:${environment.DATA_DIR}`))
    expect(mount).toBeDefined()
    expect(Object.keys(compose.volumes ?? {})).toContain(mount?.split(':')[0])
  })
})

describe('Dockerfile', () => {
  it('copies folders that exist and starts the server entry point', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)].flatMap(
      (m) => m[1]?.split(' ') ?? [],
    )
    for (const source of copied) expect(existsSync(source), source).toBe(true)
    expect(dockerfile).toMatch(/CMD \["node", "server\/main\.ts"\]/)
    expect(existsSync('server/main.ts')).toBe(true)
  })

  it('runs Node 24 and installs the toolchains CI installs', () => {
    expect(dockerfile).toMatch(/FROM node:24-/)
    const ciPackages =
      /packages=\(([^)]*)\)/.exec(readFileSync('.ci/run', 'utf8'))?.[1]?.split(/\s+/) ?? []
    const toolchains = ciPackages.filter((p) => p !== 'chromium' && p !== '')
    expect(toolchains.length).toBeGreaterThan(4)
    for (const pkg of toolchains) expect(dockerfile, pkg).toContain(pkg)
  })

  it('leaves local data and builds out of the image', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n')
    for (const path of ['node_modules', 'data', 'web/dist']) expect(ignored).toContain(path)
  })
})
