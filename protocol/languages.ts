/**
 * Languages as the wire sees them. The sandbox owns the specs (commands, toolchains); what it
 * reports about each is a LanguageInfo, and the room's language list comes from there, so a
 * language appears in the UI when the sandbox can run it.
 */
import { z } from 'zod'

export const LanguageIds = ['javascript', 'typescript', 'python', 'java', 'cpp', 'go'] as const
export const LanguageId = z.enum(LanguageIds)
export type LanguageId = z.infer<typeof LanguageId>

/** Static facts every side needs without asking the sandbox. */
export const languageFacts: Record<
  LanguageId,
  { name: string; extension: string; monaco: string }
> = {
  javascript: { name: 'JavaScript', extension: 'js', monaco: 'javascript' },
  typescript: { name: 'TypeScript', extension: 'ts', monaco: 'typescript' },
  python: { name: 'Python 3', extension: 'py', monaco: 'python' },
  java: { name: 'Java', extension: 'java', monaco: 'java' },
  cpp: { name: 'C++17', extension: 'cpp', monaco: 'cpp' },
  go: { name: 'Go', extension: 'go', monaco: 'go' },
}

export function isLanguageId(value: unknown): value is LanguageId {
  return typeof value === 'string' && (LanguageIds as readonly string[]).includes(value)
}

/** Largest candidate source every engine accepts unless its limits say otherwise, bytes (256 KiB). */
export const defaultSourceBytes = 256 * 1024

/** Resource limits of one test (run stage) in one language. */
export const LanguageLimits = z.strictObject({
  /** CPU time per test, ms. */
  cpuTimeMs: z.number().int().positive(),
  /** Wall-clock time per test, ms (covers sleeping and waiting). */
  wallTimeMs: z.number().int().positive(),
  /** Memory, MiB (isolate heap for JS/TS, cgroup memory for process languages). */
  memoryMb: z.number().int().positive(),
  /** Console/stdout bytes per run; beyond it the run gets `output_limit`. */
  outputBytes: z.number().int().positive(),
  /**
   * Largest source file, UTF-8 bytes. A larger one is a `compile_error` before anything runs;
   * the run panel says so before the Run button is pressed. Default `defaultSourceBytes`.
   */
  sourceBytes: z.number().int().positive(),
  /** Wall-clock cap of the compile stage, ms; absent where there is no compile stage. */
  compileTimeMs: z.number().int().positive().optional(),
})
export type LanguageLimits = z.infer<typeof LanguageLimits>

export const LanguageInfo = z.strictObject({
  id: LanguageId,
  name: z.string(),
  /** Toolchain version as the toolchain reports it, e.g. "Python 3.11.2". */
  version: z.string(),
  /** False when the toolchain or the sandbox it needs is missing; `reason` says which. */
  available: z.boolean(),
  reason: z.string().optional(),
  /** Default limits; a challenge may scale time by its own limit (see effectiveLimits). */
  limits: LanguageLimits,
  /** How much slower than C++ this language is allowed to be on a challenge's time limit. */
  timeMultiplier: z.number().positive(),
})
export type LanguageInfo = z.infer<typeof LanguageInfo>

/**
 * What both engines and the run panel say about a source over `sourceBytes`, so the words before
 * a run and after it are the same.
 */
export function sourceTooLargeMessage(bytes: number, limit: number): string {
  return `The code is ${kib(bytes)} KiB; a run takes at most ${kib(limit)} KiB.`
}

/** Bytes as KiB with one decimal where it matters: 262144 → "256", 262145 → "256.1". */
function kib(bytes: number): string {
  const value = Math.ceil((bytes / 1024) * 10) / 10
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/**
 * The entry for a language nothing can run here, saying why. Its limits are placeholders (it
 * never runs); they are the common defaults so a client showing them shows nothing odd.
 */
export function unavailableLanguage(id: LanguageId, reason: string): LanguageInfo {
  return {
    id,
    name: languageFacts[id].name,
    version: '',
    available: false,
    reason,
    limits: {
      cpuTimeMs: 2_000,
      wallTimeMs: 5_000,
      memoryMb: 256,
      outputBytes: 64 * 1024,
      sourceBytes: defaultSourceBytes,
    },
    timeMultiplier: 1,
  }
}

/**
 * The limits a test actually gets for a challenge in a language: the challenge's time limit
 * (written for a fast language) scaled by the language's multiplier, and the challenge's memory
 * limit when it sets one.
 */
export function effectiveLimits(
  language: Pick<LanguageInfo, 'limits' | 'timeMultiplier'>,
  challenge: { timeLimitMs?: number | undefined; memoryLimitMb?: number | undefined },
): LanguageLimits {
  const { limits } = language
  if (challenge.timeLimitMs === undefined && challenge.memoryLimitMb === undefined) return limits
  const cpuTimeMs =
    challenge.timeLimitMs === undefined
      ? limits.cpuTimeMs
      : Math.round(challenge.timeLimitMs * language.timeMultiplier)
  return {
    ...limits,
    cpuTimeMs,
    wallTimeMs: Math.max(limits.wallTimeMs, cpuTimeMs * 2),
    memoryMb: challenge.memoryLimitMb ?? limits.memoryMb,
  }
}
