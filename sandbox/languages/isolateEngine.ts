/**
 * What JavaScript and TypeScript share as languages of the isolate engine (sandbox/js/): one V8
 * isolate per run, so one set of default limits.
 */
import { defaultSourceBytes, type LanguageLimits } from '../../protocol/languages.ts'

/** Default limits of one test in JavaScript (and, with a compile stage, TypeScript). */
export const isolateLimits: LanguageLimits = {
  cpuTimeMs: 2_000,
  wallTimeMs: 5_000,
  memoryMb: 128,
  outputBytes: 64 * 1024,
  sourceBytes: defaultSourceBytes,
}

/** JavaScript and TypeScript may take this many times a challenge's (C++-calibrated) time. */
export const isolateTimeMultiplier = 2
