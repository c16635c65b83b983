/**
 * Python 3 in a box. Function style runs the static harness (harness.py), which compiles the
 * candidate's source from its config line as `solution.py`; stdio style runs the candidate's
 * file directly. No compile stage: syntax errors come back from the harness as compile errors.
 */
import { readFileSync } from 'node:fs'
import { access, realpath } from 'node:fs/promises'
import {
  ToolchainMissingError,
  type BoxLanguageSpec,
  type BuildPlan,
} from '../../box/LanguageSpec.ts'
import { defaultSourceBytes } from '../../../protocol/languages.ts'

const harness = readFileSync(new URL('./harness.py', import.meta.url), 'utf8')

/** Debian's interpreter; pyenv or venv interpreters live in home folders a box must not see. */
const interpreter = '/usr/bin/python3'

const env = { PATH: '/usr/bin', HOME: '/tmp', LANG: 'C.UTF-8' }

export const pythonSpec: BoxLanguageSpec = {
  id: 'python',
  limits: {
    cpuTimeMs: 5_000,
    wallTimeMs: 10_000,
    memoryMb: 256,
    outputBytes: 1 << 20,
    sourceBytes: defaultSourceBytes,
  },
  timeMultiplier: 5,
  pids: 32,
  memoryOverheadMb: 0,
  startupMs: 300,
  async locate() {
    const binary = await realpath(interpreter).catch(() => {
      throw new ToolchainMissingError(`${interpreter} is not installed`)
    })
    const version = /python(\d+\.\d+)$/.exec(binary)?.[1]
    if (version === undefined)
      throw new ToolchainMissingError(`cannot tell the version of ${binary}`)
    const stdlib = `/usr/lib/python${version}`
    await access(stdlib).catch(() => {
      throw new ToolchainMissingError(`the standard library ${stdlib} is missing`)
    })
    return {
      binds: [
        { source: binary, target: interpreter },
        { source: stdlib, target: stdlib },
      ],
      compileBinds: [],
      vars: {},
    }
  },
  version: {
    command: () => ({ command: [interpreter, '--version'], env }),
    parse: (output) => output.trim(),
  },
  build({ problem, source, extraFiles }): BuildPlan {
    if (problem.style === 'function') {
      return {
        // The candidate's other files (modules it imports) make the box its own; without any,
        // a pre-started box takes the job.
        files: { ...extraFiles },
        // The harness is the same for every job and the source comes on stdin: the engine can
        // start this box before the job exists.
        staticFiles: { 'harness.py': harness },
        sourceFile: 'solution.py',
        // -I: ignore PYTHON* variables and user site; -S: no site import (faster); -B: no .pyc.
        run: { command: [interpreter, '-I', '-S', '-B', '/box/harness.py'], env },
        config: { source },
      }
    }
    return {
      files: { ...extraFiles, 'solution.py': source },
      sourceFile: 'solution.py',
      // -E -s rather than -I: the same isolation from PYTHON* variables and the user site, but
      // the script's folder stays first on sys.path, so `import util` finds /box/util.py.
      run: { command: [interpreter, '-E', '-s', '-B', '/box/solution.py'], env },
    }
  },
  selfTest: { source: 'print("Hello, world!")\n', stdout: 'Hello, world!\n' },
}
