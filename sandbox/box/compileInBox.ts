/**
 * The compile stage: the compiler runs in its own box with its own limits, writes into the box's
 * private /box/out, and the box then streams /box/out as a tar archive through fd 3. The host
 * unpacks that stream (flat, plain files only) into the compile cache, so it never opens a path
 * a box could have planted a link in. Compile errors, compile timeouts and a compiler out of
 * memory (`#include </dev/random>`, template bombs) are the candidate's compile errors.
 */
import type { BoxHost } from './BoxHost.ts'
import { Box, ServerBusyError, type BoxLimits } from './Box.ts'
import { compileBudget } from './boxLimits.ts'
import type { Bind, StageCommand } from './LanguageSpec.ts'
import { readTar, type TarFile } from './readTar.ts'

export interface CompileRequest {
  host: BoxHost
  stage: StageCommand
  binds: readonly Bind[]
  workDir: string
  files: readonly { boxPath: string; hostPath: string }[]
  /** Host folders bound rather than copied (see BoxRequest.mounts). */
  mounts?: readonly { boxPath: string; hostPath: string }[]
  limits: BoxLimits
  /** The compile time limit, ms (see compileBudget for the CPU and wall caps it gives). */
  timeMs: number
  signal: AbortSignal
}

export interface CompileResult {
  outcome: { files: TarFile[]; output: string } | { error: string }
  /** False when the outcome depends on the machine (timeout, memory, cancelled): not cached. */
  remember: boolean
}

/** Exit code of the wrapper script when the archive could not be written: the host's fault. */
const archiveFailed = 97

const script = `"$@" || exit 1; cd /box/out && tar --format=gnu -cf - . >&3 || exit ${archiveFailed}`

/**
 * Compiles in a box; a box starved of CPU by a busy machine is retried once, then the compile
 * throws ServerBusyError (the run ends `internal_error`, never `compile_error`).
 */
export async function compileInBox(request: CompileRequest): Promise<CompileResult> {
  const first = await compileOnce(request)
  if (first !== 'starved') return first
  const second = await compileOnce(request)
  if (second !== 'starved') return second
  throw new ServerBusyError()
}

async function compileOnce(request: CompileRequest): Promise<CompileResult | 'starved'> {
  const box = await Box.start(request.host, {
    command: ['/usr/bin/sh', '-c', script, 'compile', ...request.stage.command],
    env: request.stage.env,
    binds: [...request.binds, ...request.host.compileShellBinds],
    workDir: request.workDir,
    files: request.files,
    mounts: request.mounts ?? [],
    writableDirs: ['/box/out'],
    limits: request.limits,
    budget: compileBudget(request.timeMs),
    stdin: Buffer.alloc(0),
    mergeStderr: true,
    artifactPipe: true,
  })
  const onAbort = (): void => box.kill('aborted')
  request.signal.addEventListener('abort', onAbort, { once: true })
  if (request.signal.aborted) onAbort()
  const chunks: Buffer[] = []
  box.onStdout((chunk) => chunks.push(chunk))
  const exit = await box.done
  request.signal.removeEventListener('abort', onAbort)
  const output = Buffer.concat(chunks).toString('utf8').trimEnd()
  if (exit.setupError !== undefined) throw new Error(exit.setupError)
  const seconds = request.timeMs / 1000
  const withOutput = (message: string): string =>
    output === '' ? message : `${output}\n\n${message}`
  switch (exit.killedFor) {
    case 'aborted':
      return { outcome: { error: 'The run was cancelled.' }, remember: false }
    case 'starved':
      return 'starved'
    case 'timeout':
      return {
        outcome: {
          error: withOutput(`Compilation took longer than ${seconds} s and was stopped.`),
        },
        remember: false,
      }
    case 'output_limit':
      return {
        outcome: { error: `${output}\n… (compiler output too long; compilation stopped)` },
        remember: false,
      }
    case 'artifact_limit':
      return {
        outcome: {
          error: `The compiled program is larger than ${request.limits.artifactBytes >> 20} MiB.`,
        },
        remember: true,
      }
    case 'protocol':
    case 'finished':
    case undefined:
      break
  }
  if (exit.oomKilled) {
    const limit = request.limits.memoryBytes >> 20
    return {
      outcome: { error: withOutput(`The compiler ran out of memory (${limit} MiB).`) },
      remember: false,
    }
  }
  if (exit.exitCode === archiveFailed)
    throw new Error(`cannot collect the compiled output: ${output}`)
  if (exit.exitCode !== 0) {
    return { outcome: { error: output === '' ? 'Compilation failed.' : output }, remember: true }
  }
  return { outcome: { files: readTar(exit.artifact ?? Buffer.alloc(0)), output }, remember: true }
}
