/**
 * Settings, from environment variables, parsed once at startup. A bad value stops the server
 * with a message naming the variable, rather than failing later in an odd place.
 */
import { isIP } from 'node:net'
import path from 'node:path'
import { z } from 'zod'

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true')

/** A setting that is on unless it is `0` or `false`. */
const flagDefaultOn = z
  .enum(['0', '1', 'true', 'false', ''])
  .default('')
  .transform((v) => v !== '0' && v !== 'false')

/** Express's names for address ranges, allowed in a TRUST_PROXY list. */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** One TRUST_PROXY list entry: an address, an address/prefix, or one of the range names. */
function isProxyAddress(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
}

/**
 * Which peers may tell us the client's address (`X-Forwarded-For`) and scheme
 * (`X-Forwarded-Proto`): unset trusts nobody; a number of proxy hops in front of Tandem; or a
 * comma-separated list of proxy addresses, subnets or `loopback`/`linklocal`/`uniquelocal`.
 * "Trust everyone" is refused: any client could then choose its own address.
 */
const TrustProxySchema = z
  .string()
  .default('')
  .transform((value, ctx): TrustProxy => {
    const text = value.trim()
    if (text === '' || text === '0' || text === 'false') return false
    if (/^\d+$/.test(text)) {
      const hops = Number(text)
      if (hops <= 16) return hops
    } else {
      const entries = text.split(',').map((entry) => entry.trim())
      if (entries.every(isProxyAddress)) return entries
    }
    ctx.addIssue({
      code: 'custom',
      message:
        'expected a hop count (1-16) or a comma-separated list of proxy addresses, subnets or loopback/linklocal/uniquelocal',
    })
    return z.NEVER
  })

/**
 * Which private addresses webhooks may reach: unset (or `0`/`false`) none; `1`/`true` every
 * address; or a comma-separated list of addresses and address/prefix subnets (e.g.
 * `10.20.0.0/16,fd00::/8`) allowed although private. Loopback, RFC 1918, link-local (the cloud
 * metadata address), CGNAT and their IPv6 kin are refused otherwise (server/webhooks/OutboundGuard.ts).
 */
const WebhookAllowPrivateSchema = z
  .string()
  .default('')
  .transform((value, ctx): boolean | string[] => {
    const text = value.trim()
    if (text === '' || text === '0' || text === 'false') return false
    if (text === '1' || text === 'true') return true
    const entries = text.split(',').map((entry) => entry.trim())
    if (entries.every((entry) => !proxyRangeNames.has(entry) && isProxyAddress(entry))) {
      return entries
    }
    ctx.addIssue({
      code: 'custom',
      message: 'expected 1/true, or a comma-separated list of addresses and address/prefix subnets',
    })
    return z.NEVER
  })

/** The default webhook retry schedule, ms: five attempts over about 13 minutes. */
const defaultRetrySchedule = '0,5000,30000,120000,600000'

/** The retry schedule: each attempt's delay after the one before, ms, comma-separated. */
const RetryScheduleSchema = z
  .string()
  .default(defaultRetrySchedule)
  .transform((value, ctx): number[] => {
    const text = value.trim() === '' ? defaultRetrySchedule : value
    const entries = text.split(',').map((entry) => entry.trim())
    const delays = entries.map(Number)
    const valid =
      entries.every((entry) => /^\d{1,8}$/.test(entry)) && delays.every((ms) => ms <= 86_400_000)
    if (valid && delays.length >= 1 && delays.length <= 20) return delays
    ctx.addIssue({
      code: 'custom',
      message: 'expected 1-20 comma-separated delays in ms (0 to 86400000), e.g. 0,5000,30000',
    })
    return z.NEVER
  })

const EnvSchema = z.object({
  /** HTTP port; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded database and logs live. */
  DATA_DIR: z.string().default('./data'),
  /** Folder of challenge folders. */
  CHALLENGES_DIR: z.string().default('./challenges'),
  /** The address users reach Tandem at, used in candidate and invite links. Default http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a room stays loaded after its last client leaves, ms. */
  ROOM_IDLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Write-behind interval for collaborative documents, ms (at most 500). */
  DOC_FLUSH_MS: z.coerce.number().int().min(10).max(500).default(200),
  /** Runs executing at once in the sandbox; default: one per core. */
  SANDBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Sandbox processes the runs are shared out among; a process that dies loses only its own runs.
   * Default: one per run at once, at most 8.
   */
  SANDBOX_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Build the languages' prebuilds (C++'s precompiled header, Java's warm compiler) at start
   * rather than on each language's first run. Default on.
   */
  SANDBOX_WARM: flagDefaultOn,
  /**
   * Run process languages without bubblewrap. Candidate code then runs as a plain process on this
   * machine: never set this where candidates are strangers.
   */
  TANDEM_UNSAFE_ALLOW_UNSANDBOXED: flag,
  /** Proxies whose X-Forwarded-For/-Proto headers are believed; see TrustProxySchema. */
  TRUST_PROXY: TrustProxySchema,
  /** The Chromium that prints report.pdf; default: the first of the usual install paths found. */
  CHROMIUM_PATH: z.string().optional(),
  /**
   * Let webhooks reach private and loopback addresses (see WebhookAllowPrivateSchema). Off: an
   * endpoint on the internal network is refused at registration and again at every delivery.
   */
  TANDEM_WEBHOOK_ALLOW_PRIVATE: WebhookAllowPrivateSchema,
  /**
   * Webhook attempts and the wait before each, ms (the first is usually 0). A random ±20% is
   * added to each wait. Default 0,5000,30000,120000,600000: five attempts over about 13 minutes.
   */
  WEBHOOK_RETRY_SCHEDULE_MS: RetryScheduleSchema,
  /** How long one webhook attempt may take, connection to the end of the answer, ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How often due webhook retries are looked for, ms. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
})

/**
 * Express's `trust proxy` setting: false (the socket's peer is the client), a hop count, or the
 * proxies' addresses.
 */
export type TrustProxy = false | number | string[]

/** Every environment variable Tandem reads (for checks of deployment files). */
export const configVariables: readonly string[] = Object.keys(EnvSchema.shape)

export interface Config {
  port: number
  host: string
  dataDir: string
  challengesDir: string
  /** Without a trailing slash. */
  publicUrl: string | undefined
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
  roomIdleMs: number
  docFlushMs: number
  sandboxConcurrency: number | undefined
  sandboxProcesses: number | undefined
  sandboxWarm: boolean
  unsafeAllowUnsandboxed: boolean
  trustProxy: TrustProxy
  chromiumPath: string | undefined
  /** False: no private address; true: every one; a list: those addresses and subnets. */
  webhookAllowPrivate: boolean | string[]
  webhookRetryScheduleMs: number[]
  webhookTimeoutMs: number
  webhookPollMs: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = EnvSchema.safeParse(env)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`)
  }
  const e = result.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    challengesDir: path.resolve(e.CHALLENGES_DIR),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    roomIdleMs: e.ROOM_IDLE_MS,
    docFlushMs: e.DOC_FLUSH_MS,
    sandboxConcurrency: e.SANDBOX_CONCURRENCY,
    sandboxProcesses: e.SANDBOX_PROCESSES,
    sandboxWarm: e.SANDBOX_WARM,
    unsafeAllowUnsandboxed: e.TANDEM_UNSAFE_ALLOW_UNSANDBOXED,
    trustProxy: e.TRUST_PROXY,
    chromiumPath: e.CHROMIUM_PATH,
    webhookAllowPrivate: e.TANDEM_WEBHOOK_ALLOW_PRIVATE,
    webhookRetryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookPollMs: e.WEBHOOK_POLL_MS,
  }
}
