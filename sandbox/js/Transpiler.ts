/**
 * Turns the candidate's TypeScript (or JavaScript written as an ES module) into a classic script
 * the isolate can run, on the host, with esbuild. Results are cached by content hash, so a room
 * pressing Run again on the same code pays nothing. Types are erased, not checked: only syntax
 * errors stop a run.
 */
import { createHash } from 'node:crypto'
import { transform, type Message, type TransformFailure } from 'esbuild'
import { TraceMap } from '@jridgewell/trace-mapping'
import { formatDiagnostic, type Diagnostic } from './diagnostics.ts'

export type TranspileResult =
  | {
      ok: true
      code: string
      /** Maps positions in `code` back to the candidate's source. */
      map: () => TraceMap
    }
  | { ok: false; diagnostics: Diagnostic[]; compileOutput: string }

export interface TranspilerOptions {
  /** Entries kept in the content-hash cache. Default 256. */
  cacheSize?: number
}

export type Loader = 'ts' | 'js'

/** ES module syntax at the start of a line: such JavaScript is converted to CommonJS first. */
const moduleSyntax = /^\s*(?:import|export)\b(?!\s*\()/m

/** Whether a JavaScript source needs esbuild before V8 can run it as a script. */
export function needsTranspile(loader: Loader, source: string): boolean {
  return loader === 'ts' || moduleSyntax.test(source)
}

export class Transpiler {
  private readonly cache = new Map<string, TranspileResult>()
  private readonly cacheSize: number

  constructor(options: TranspilerOptions = {}) {
    this.cacheSize = options.cacheSize ?? 256
  }

  /**
   * Transpiles `source`, or answers from the cache. Rejects only when esbuild itself fails or
   * `timeoutMs` passes (the caller reports that); syntax errors are a result.
   */
  async transpile(options: {
    source: string
    loader: Loader
    filename: string
    timeoutMs: number
  }): Promise<TranspileResult> {
    const { source, loader, filename } = options
    const key = createHash('sha256')
      .update(`${loader}\0${filename}\0`)
      .update(source)
      .digest('base64')
    const cached = this.cache.get(key)
    if (cached !== undefined) {
      // Refresh its place: the Map's insertion order is the eviction order.
      this.cache.delete(key)
      this.cache.set(key, cached)
      return cached
    }
    const result = await withTimeout(this.runEsbuild(source, loader, filename), options.timeoutMs)
    this.cache.set(key, result)
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next()
      if (oldest.done !== true) this.cache.delete(oldest.value)
    }
    return result
  }

  /** Starts esbuild's service now, so the first run does not pay for it (~50 ms). */
  async warmUp(): Promise<void> {
    await transform('', { loader: 'ts', logLevel: 'silent' })
  }

  private async runEsbuild(source: string, loader: Loader, filename: string) {
    try {
      const output = await transform(source, {
        loader,
        // CommonJS keeps top-level declarations at the top level, where the harness finds them;
        // `export` becomes `module.exports`, which the prelude provides.
        format: 'cjs',
        target: 'esnext',
        sourcemap: 'external',
        sourcesContent: false,
        sourcefile: filename,
        logLevel: 'silent',
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
      })
      let traceMap: TraceMap | undefined
      const map = (): TraceMap => (traceMap ??= new TraceMap(output.map))
      return { ok: true as const, code: output.code, map }
    } catch (error) {
      if (!isTransformFailure(error)) throw error
      const diagnostics = error.errors.map((message) => toDiagnostic(message, filename))
      return {
        ok: false as const,
        diagnostics,
        compileOutput: diagnostics.map(formatDiagnostic).join('\n\n'),
      }
    }
  }
}

function toDiagnostic(message: Message, filename: string): Diagnostic {
  const location = message.location
  return {
    file: location?.file || filename,
    line: location?.line ?? 1,
    // esbuild counts columns from 0, as source maps do; people count from 1.
    column: (location?.column ?? 0) + 1,
    message: message.text,
    lineText: location?.lineText,
  }
}

function isTransformFailure(error: unknown): error is TransformFailure {
  return error instanceof Error && Array.isArray((error as Partial<TransformFailure>).errors)
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TranspileTimeoutError(ms))
    }, ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export class TranspileTimeoutError extends Error {
  override name = 'TranspileTimeoutError'
  constructor(ms: number) {
    super(`Compilation took longer than ${ms} ms`)
  }
}
