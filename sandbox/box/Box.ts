/**
 * One box: a command run once inside bubblewrap, in its own cgroup, with rlimits, a wall-clock
 * and CPU watchdog, and capped output. A box is used for exactly one compile or one run and then
 * destroyed; nothing it wrote survives it except the bytes it sent through its pipes.
 *
 * How a box starts (each step `exec`s the next, so the kernel sees one process):
 *
 *   bash wrapper   joins the cgroup (so every descendant is counted), sets the rlimits with the
 *                  `ulimit` builtin (CPU as a per-process backstop, FSIZE, NOFILE, CORE=0, STACK),
 *                  closes stray descriptors, merges stderr into stdout when asked, and execs the
 *                  rest with an empty environment (`exec -c`: bwrap stays the box's pid 1, and
 *                  its environment must not carry the server's, e.g. OLDPWD)
 *   setpriv        drops root to an unprivileged uid (only when the sandbox runs as root)
 *   bwrap          namespaces, mounts and the seccomp filter (see bwrapArgs.ts), then the command
 *
 * The host talks to the box only through descriptors: stdout/stderr, fd 3 for a compile box's
 * artifacts, fd 4 for bwrap's status, fd 5 for bwrap's options, fd 6 for the seccomp program,
 * and fds 7… for the files bwrap copies into /box (read-only). It never opens a path inside a
 * box.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import {
  chmod,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  symlink,
  type FileHandle,
} from 'node:fs/promises'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import type { Cgroup } from './Cgroup.ts'
import type { BoxHost } from './BoxHost.ts'
import {
  argsFd,
  bwrapArgs,
  firstFileFd,
  seccompFd,
  statusFd,
  type CopiedFile,
} from './bwrapArgs.ts'
import type { Bind } from './LanguageSpec.ts'
import { seccompFilter } from './seccompFilter.ts'

/**
 * Why the host killed a box; `finished` means its results were complete and final already.
 * `timeout` is the candidate's (the box used its CPU budget, or sat idle past the wall ceiling);
 * `starved` is the server's: the wall ceiling passed while the box, short of CPU, waited for a
 * core (see `isStarved`).
 */
export type KillReason =
  'timeout' | 'starved' | 'output_limit' | 'artifact_limit' | 'aborted' | 'protocol' | 'finished'

/** What a run or compile says when its box was starved twice (issue 14 A.2). */
export const serverBusyMessage = 'The server was too busy to run this code; please run it again'

/** A box was starved of CPU, and so was its retry: the server's fault, never the candidate's. */
export class ServerBusyError extends Error {
  override name = 'ServerBusyError'
  constructor() {
    super(serverBusyMessage)
  }
}

/**
 * Whether a box killed at its wall ceiling was the machine's fault: it had used less than half
 * its CPU budget, and its threads spent at least a quarter of the wall budget runnable but
 * waiting for a core (the kernel's run-queue delay, /proc/<tid>/schedstat). Code that sleeps or
 * blocks past the ceiling waits on no run queue, so it stays the candidate's `timeout`.
 */
export function isStarved(usage: { cpuMs: number; runDelayMs: number }, budget: Budget): boolean {
  return usage.cpuMs < budget.cpuMs / 2 && usage.runDelayMs >= budget.wallMs / 4
}

export interface BoxLimits {
  /** cgroup memory limit of all processes together, bytes. */
  memoryBytes: number
  /** cgroup pids limit: processes plus threads at once. */
  pids: number
  /** RLIMIT_CPU of each process, s: a backstop; the group's CPU is watched by the budget. */
  cpuSecondsPerProcess: number
  /** RLIMIT_FSIZE, bytes. */
  fileSizeBytes: number
  /** RLIMIT_NOFILE. */
  openFiles: number
  /** RLIMIT_STACK, bytes (deep recursion is common in interview answers). */
  stackBytes: number
  /** Size of each of the /tmp and /box tmpfs, bytes. */
  tmpfsBytes: number
  /** Bytes read from stdout plus stderr before the box is killed with `output_limit`. */
  outputBytes: number
  /** Bytes read from the artifact pipe (fd 3) before the box is killed; compile boxes only. */
  artifactBytes: number
}

/** A time budget, counted from the moment it is set. */
export interface Budget {
  /**
   * Wall-clock ceiling, ms: set well above `cpuMs` (see boxLimits.ts), since a loaded machine
   * stretches wall time; a box killed here that was starved of CPU is `starved`, not `timeout`.
   */
  wallMs: number
  /** CPU time of every process in the box together, ms. */
  cpuMs: number
}

export interface BoxRequest {
  command: string[]
  env: Record<string, string>
  /** Toolchain binds (the host's system library binds are added). */
  binds: readonly Bind[]
  /** Host folder of the box's input files; in unsafe mode it is the box's working folder. */
  workDir: string
  /**
   * Host files (or folders of them, copied whole) that appear read-only inside /box: box path
   * → host path. bwrap copies each one into the box from a descriptor, so nothing in the box
   * names a host path (a bind mount would, in /proc/self/mountinfo). Dot files are skipped.
   */
  files: readonly { boxPath: string; hostPath: string }[]
  /**
   * Host folders bound read-only inside /box instead, where a copy per box would cost too much
   * (C++'s ~100 MB precompiled header). A box with any gets no /proc, so that its mountinfo,
   * which names their host path, cannot be read; only compile boxes need this.
   */
  mounts?: readonly { boxPath: string; hostPath: string }[]
  /** Folders created writable inside /box, e.g. /box/out. */
  writableDirs?: readonly string[]
  limits: BoxLimits
  /** The first budget, e.g. the startup allowance; `resetBudget` replaces it. */
  budget: Budget
  /** Written to the command's stdin at once; absent for a box that waits for `send`. */
  stdin?: Buffer
  /** Send stderr into stdout, so the host sees both interleaved in one ordered stream. */
  mergeStderr: boolean
  /** Open fd 3 as a pipe for a compile box's artifacts. */
  artifactPipe?: boolean
}

export interface BoxExit {
  /** The command's exit code (128 + n when signal n killed it); null when the host killed it. */
  exitCode: number | null
  /** Set when the host killed the box, and why. */
  killedFor: KillReason | undefined
  /** The kernel's OOM killer killed a process of the box. */
  oomKilled: boolean
  /** CPU time of the whole box, ms; null without cgroups. */
  cpuMs: number | null
  wallMs: number
  /**
   * The box failed before the command started (bwrap, cgroup or rlimit setup): the engine's
   * fault, never the candidate's. Holds the diagnostics.
   */
  setupError: string | undefined
  /** What the command wrote to fd 3 (compile boxes). */
  artifact: Buffer | undefined
}

let boxCounter = 0

/** Watchdog tick, ms: how late a timeout may be noticed. */
const watchIntervalMs = 20

export class Box {
  /**
   * Resolves when the box has ended: its command exited or was killed, every process left in its
   * cgroup was sent SIGKILL, and its exit (CPU, OOM) is read. A run's results can go out now;
   * removing the cgroup (`done`) takes a few more ms and changes nothing the run reports.
   */
  readonly exited: Promise<BoxExit>
  /** Resolves when the box has ended and its cgroup is gone. */
  readonly done: Promise<BoxExit>
  private readonly child: ChildProcess
  private readonly cgroup: Cgroup | null
  private readonly request: BoxRequest
  private readonly sandboxed: boolean
  private readonly startedAt = performance.now()
  private killedFor: KillReason | undefined
  private budget: Budget
  private budgetWallStart = performance.now()
  private budgetCpuStartNs: number | undefined = 0
  /** Run-queue delay of each thread when the budget began, ns (threads born later: 0). */
  private budgetDelayStart = new Map<number, number>()
  private budgetGeneration = 0
  private outputSeen = 0
  private readonly artifactChunks: Buffer[] = []
  private artifactSize = 0
  private status = ''
  private diagnostics = ''
  private outputLimit: number
  private readonly stdoutListeners: ((chunk: Buffer) => void)[] = []
  private readonly stderrListeners: ((chunk: Buffer) => void)[] = []
  /** Output that arrived before anyone listened (a pre-started box's runtime may print early). */
  private readonly unheard: { stdout: Buffer[]; stderr: Buffer[] } = { stdout: [], stderr: [] }
  private watchdog: NodeJS.Timeout | undefined
  private watching = false
  private finished = false

  private constructor(host: BoxHost, request: BoxRequest, cgroup: Cgroup | null, launch: Launch) {
    this.request = request
    this.cgroup = cgroup
    this.sandboxed = host.sandboxed
    this.budget = request.budget
    this.outputLimit = request.limits.outputBytes
    const stdio: ('pipe' | 'ignore' | number)[] = ['pipe', 'pipe', 'pipe', 'ignore', 'pipe']
    if (request.artifactPipe === true) stdio[3] = 'pipe'
    // bwrap's options and seccomp program, then one descriptor per copied file (read to EOF).
    if (launch.bwrap !== undefined) stdio.push('pipe', 'pipe', ...launch.bwrap.fileFds)
    this.child = spawn(host.bashPath, launch.argv, {
      stdio,
      // Its own process group, so even a box whose cgroup join failed can be killed whole.
      detached: true,
      env: launch.env,
    })
    if (launch.bwrap !== undefined) {
      const streams: readonly (Readable | Writable | null | undefined)[] = this.child.stdio
      feed(streams[argsFd], launch.bwrap.args)
      feed(streams[seccompFd], launch.bwrap.seccomp)
    }
    this.exited = this.watch()
    this.done = this.exited.then(async (exit) => {
      await this.cgroup?.remove()
      return exit
    })
  }

  /**
   * Starts a box. Rejects only when the host cannot create its cgroup or open its files (the
   * host's fault either way).
   */
  static async start(host: BoxHost, request: BoxRequest): Promise<Box> {
    const name = `${process.pid}-${++boxCounter}`
    const cgroup =
      host.cgroups === null
        ? null
        : await host.cgroups.create(name, {
            memoryBytes: request.limits.memoryBytes,
            pids: request.limits.pids,
          })
    const opened: FileHandle[] = []
    try {
      return new Box(host, request, cgroup, await launchArgv(host, request, cgroup, opened))
    } catch (error) {
      await cgroup?.remove()
      throw error
    } finally {
      // The child holds its own copies of the descriptors once spawned.
      await Promise.all(opened.map((handle) => handle.close()))
    }
  }

  onStdout(listener: (chunk: Buffer) => void): void {
    this.stdoutListeners.push(listener)
    for (const chunk of this.unheard.stdout.splice(0)) listener(chunk)
  }

  onStderr(listener: (chunk: Buffer) => void): void {
    this.stderrListeners.push(listener)
    for (const chunk of this.unheard.stderr.splice(0)) listener(chunk)
  }

  /** Writes the command's whole stdin (for a box started without it) and closes it. */
  send(stdin: Buffer): void {
    this.child.stdin?.end(stdin)
  }

  /** Writes to the command's stdin and keeps it open (a long-lived server box). */
  write(text: string): void {
    this.child.stdin?.write(text)
  }

  /** Bytes of stdout plus stderr read so far. */
  get outputBytesSeen(): number {
    return this.outputSeen
  }

  /** Changes the output cap (bytes of stdout plus stderr since the start). */
  setOutputLimit(bytes: number): void {
    this.outputLimit = bytes
    if (this.outputSeen > bytes) this.kill('output_limit')
  }

  /** False once the box's process ended or the host decided to kill it. */
  get alive(): boolean {
    return !this.finished && this.killedFor === undefined
  }

  /** Starts a new budget now (e.g. when the harness says the next test begins). */
  resetBudget(budget: Budget): void {
    this.budget = budget
    this.budgetWallStart = performance.now()
    this.budgetCpuStartNs = undefined
    this.budgetDelayStart = new Map()
    const generation = ++this.budgetGeneration
    void Promise.all([this.readCpuNs(), this.readRunDelays()]).then(([ns, delays]) => {
      if (generation !== this.budgetGeneration) return
      this.budgetCpuStartNs = ns ?? 0
      this.budgetDelayStart = delays
    })
  }

  /** Kills every process of the box; the first reason given is the one reported. */
  kill(reason: KillReason): void {
    this.killedFor ??= reason
    this.killNow()
  }

  private killNow(): void {
    const pid = this.child.pid
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // The group is gone already.
      }
    }
    void this.cgroup?.killAll()
  }

  private async watch(): Promise<BoxExit> {
    const { child, request } = this
    child.stdout?.on('data', (chunk: Buffer) => {
      this.countOutput(chunk)
      if (this.stdoutListeners.length === 0) this.unheard.stdout.push(chunk)
      for (const listener of this.stdoutListeners) listener(chunk)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      this.countOutput(chunk)
      if (this.stderrListeners.length === 0) this.unheard.stderr.push(chunk)
      for (const listener of this.stderrListeners) listener(chunk)
    })
    const artifact = child.stdio[3]
    if (request.artifactPipe === true && artifact !== null && artifact !== undefined) {
      artifact.on('data', (chunk: Buffer) => {
        this.artifactSize += chunk.length
        if (this.artifactSize > request.limits.artifactBytes) this.kill('artifact_limit')
        else this.artifactChunks.push(chunk)
      })
    }
    child.stdio[statusFd]?.on('data', (chunk: Buffer) => {
      if (this.status.length < 4096) this.status += chunk.toString('utf8')
    })
    // A box that closes stdin early (or never reads it) must not crash the host with EPIPE.
    child.stdin?.on('error', () => undefined)
    if (request.stdin !== undefined) child.stdin?.end(request.stdin)

    this.watchdog = setInterval(() => void this.tick(), watchIntervalMs)
    const exit = await new Promise<{ code: number | null; spawnError?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, spawnError: error }))
      child.once('close', (code) => resolve({ code }))
    })
    clearInterval(this.watchdog)
    this.finished = true
    // Daemons of the box died with its pid namespace; the cgroup sweep is the belt to those braces.
    await this.cgroup?.killAll()
    const wallMs = performance.now() - this.startedAt
    const cpuNs = await this.readCpuNs()
    const oomKilled = (await this.cgroup?.oomKilled().catch(() => false)) ?? false
    return {
      exitCode: this.killedFor === undefined ? exit.code : null,
      killedFor: this.killedFor,
      oomKilled,
      cpuMs: cpuNs === undefined ? null : cpuNs / 1e6,
      wallMs,
      setupError: this.setupError(exit.code, exit.spawnError),
      artifact: request.artifactPipe === true ? Buffer.concat(this.artifactChunks) : undefined,
    }
  }

  private countOutput(chunk: Buffer): void {
    if (this.diagnostics.length < 4096) this.diagnostics += chunk.toString('utf8')
    this.outputSeen += chunk.length
    if (this.outputSeen > this.outputLimit) this.kill('output_limit')
  }

  /** A box whose command never started failed on the host's side. */
  private setupError(code: number | null, spawnError: Error | undefined): string | undefined {
    if (spawnError !== undefined) return `cannot start the box: ${spawnError.message}`
    if (this.killedFor !== undefined) return undefined
    if (code === 125 && this.diagnostics.startsWith('tandem-box:')) return this.diagnostics.trim()
    // bwrap reports an exit code only for a command it started; none means bwrap itself failed.
    if (this.sandboxed && !this.status.includes('"exit-code"')) {
      return `bubblewrap failed to start the box (exit ${code}): ${this.diagnostics.trim()}`
    }
    return undefined
  }

  private async tick(): Promise<void> {
    if (this.watching || this.killedFor !== undefined) return
    this.watching = true
    try {
      const start = this.budgetCpuStartNs
      if (performance.now() - this.budgetWallStart > this.budget.wallMs) {
        this.kill((await this.starvedNow(start)) ? 'starved' : 'timeout')
        return
      }
      if (start === undefined || this.cgroup === null) return
      const now = await this.readCpuNs()
      if (now !== undefined && (now - start) / 1e6 > this.budget.cpuMs) this.kill('timeout')
    } finally {
      this.watching = false
    }
  }

  /** Whether the box, at its wall ceiling now, was starved of CPU during this budget. */
  private async starvedNow(cpuStartNs: number | undefined): Promise<boolean> {
    // Without cgroups nothing says how much CPU the box got: the wall ceiling is all there is.
    if (this.cgroup === null || cpuStartNs === undefined) return false
    const generation = this.budgetGeneration
    const [now, delays] = await Promise.all([this.readCpuNs(), this.readRunDelays()])
    if (now === undefined || generation !== this.budgetGeneration) return false
    let delayNs = 0
    for (const [tid, delay] of delays) delayNs += delay - (this.budgetDelayStart.get(tid) ?? 0)
    return isStarved({ cpuMs: (now - cpuStartNs) / 1e6, runDelayMs: delayNs / 1e6 }, this.budget)
  }

  /** Run-queue delay of every thread in the box so far, ns, by thread id. */
  private async readRunDelays(): Promise<Map<number, number>> {
    const delays = new Map<number, number>()
    if (this.cgroup === null) return delays
    const tids = await this.cgroup.threadIds().catch(() => [])
    await Promise.all(
      tids.map(async (tid) => {
        // "<on-cpu ns> <run-queue wait ns> <timeslices>"; a thread may end meanwhile.
        const text = await readFile(`/proc/${tid}/schedstat`, 'utf8').catch(() => '')
        const wait = Number(text.split(' ')[1])
        if (Number.isFinite(wait)) delays.set(tid, wait)
      }),
    )
    return delays
  }

  private async readCpuNs(): Promise<number | undefined> {
    if (this.cgroup === null) return undefined
    try {
      return await this.cgroup.cpuUsageNs()
    } catch {
      return undefined
    }
  }
}

/**
 * The wrapper's script: join the cgroup, set the rlimits, close stray fds, merge stderr, exec the
 * rest. bash's own `ulimit` saves exec'ing prlimit (~2 ms of CPU per box). Outside POSIX mode
 * its -f counts 1024-byte blocks and -s KiB; with neither -H nor -S it sets both limits.
 */
const wrapperScript = [
  'merge=$1; clean=$2; keep=$3; cd "$4" || exit 125; shift 4',
  'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "tandem-box: cannot join cgroup $1" >&2; exit 125; }; shift; done; shift',
  'ulimit -t "$1" -f "$2" -n "$3" -c 0 -s "$4" || { echo "tandem-box: cannot set rlimits" >&2; exit 125; }; shift 4',
  // Descriptors the sandbox process inherited from its own parent must not reach the box.
  'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt "$keep" ]; then eval "exec $fd>&-"; fi; done',
  'if [ "$merge" = 1 ]; then exec 2>&1; fi',
  // bwrap becomes the box's pid 1, whose environment the box can read: it gets none at all.
  'if [ "$clean" = 1 ]; then exec -c "$@"; fi',
  'exec "$@"',
].join('\n')

/** How to spawn a box: the wrapper's argv and environment, and what bwrap reads from fds. */
interface Launch {
  argv: string[]
  env: Record<string, string>
  bwrap?: {
    /** bwrap's options, NUL-terminated, for fd 5. */
    args: Buffer
    /** The seccomp program, for fd 6. */
    seccomp: Buffer
    /** Host descriptors of the copied files, for fds 7…, in order. */
    fileFds: number[]
  }
}

/** A box may receive at most this many files (each is a descriptor while bwrap starts). */
export const maxBoxFiles = 128

async function launchArgv(
  host: BoxHost,
  request: BoxRequest,
  cgroup: Cgroup | null,
  opened: FileHandle[],
): Promise<Launch> {
  const { limits } = request
  const rlimits = [
    limits.cpuSecondsPerProcess,
    Math.ceil(limits.fileSizeBytes / 1024),
    limits.openFiles,
    Math.ceil(limits.stackBytes / 1024),
  ].map(String)
  const dropRoot =
    host.setprivPath === undefined
      ? []
      : [
          host.setprivPath,
          `--reuid=${host.boxUid}`,
          `--regid=${host.boxUid}`,
          '--clear-groups',
          '--',
        ]
  let cwd = '/'
  let inner: string[]
  // The wrapper needs no environment; it clears its own before bwrap (see wrapperScript).
  let env: Record<string, string> = {}
  let bwrap: Launch['bwrap']
  if (host.sandboxed) {
    const copied = await openCopiedFiles(request.files, opened)
    const options = bwrapArgs({
      binds: [...host.systemBinds, ...request.binds],
      symlinks: host.systemSymlinks,
      folders: copied.folders,
      dirs: copied.dirs,
      files: copied.files,
      mounts: request.mounts ?? [],
      writableDirs: request.writableDirs ?? [],
      env: request.env,
      tmpfsBytes: limits.tmpfsBytes,
    })
    bwrap = {
      args: Buffer.from(options.map((arg) => `${arg}\0`).join('')),
      seccomp: seccompFilter(),
      fileFds: copied.hostFds,
    }
    inner = [host.bwrapPath, '--args', String(argsFd), '--', ...request.command]
  } else {
    cwd = request.workDir
    ;({ command: inner, env } = await prepareUnsandboxed(host, request))
  }
  const keep = bwrap === undefined ? statusFd : firstFileFd + bwrap.fileFds.length - 1
  const argv = [
    // Node's pipes are socketpairs, and bash reads ~/.bashrc when stdin is a socket (the rshd
    // rule) unless told not to.
    '--norc',
    '--noprofile',
    '-c',
    wrapperScript,
    'tandem-box',
    request.mergeStderr ? '1' : '0',
    host.sandboxed ? '1' : '0',
    String(keep),
    cwd,
    ...(cgroup?.procsFiles ?? []),
    '--',
    ...rlimits,
    ...dropRoot,
    ...inner,
  ]
  return bwrap === undefined ? { argv, env } : { argv, env, bwrap }
}

/**
 * Opens every file to copy into the box (a folder's files, recursively; dot files and anything
 * but plain files and folders skipped): the descriptors bwrap reads them from, in order.
 */
async function openCopiedFiles(
  files: readonly { boxPath: string; hostPath: string }[],
  opened: FileHandle[],
): Promise<{ folders: string[]; dirs: string[]; files: CopiedFile[]; hostFds: number[] }> {
  const folders: string[] = []
  const dirs: string[] = []
  const copied: CopiedFile[] = []
  const hostFds: number[] = []
  const add = async (hostPath: string, boxPath: string, top: boolean): Promise<void> => {
    const info = await lstat(hostPath)
    if (info.isDirectory()) {
      ;(top ? folders : dirs).push(boxPath)
      for (const name of (await readdir(hostPath)).sort()) {
        if (!name.startsWith('.')) await add(path.join(hostPath, name), `${boxPath}/${name}`, false)
      }
      return
    }
    if (!info.isFile()) return
    if (copied.length >= maxBoxFiles) throw new Error(`a box takes at most ${maxBoxFiles} files`)
    const handle = await open(hostPath, 'r')
    opened.push(handle)
    hostFds.push(handle.fd)
    copied.push({
      fd: firstFileFd + copied.length,
      boxPath,
      mode: (info.mode & 0o111) === 0 ? 0o444 : 0o555,
    })
  }
  for (const file of files) await add(file.hostPath, file.boxPath, true)
  return { folders, dirs, files: copied, hostFds }
}

/** Writes a whole buffer into a descriptor bwrap reads to its end; a box that died early is fine. */
function feed(stream: Readable | Writable | null | undefined, data: Buffer): void {
  if (stream === null || stream === undefined || !('end' in stream)) return
  stream.on('error', () => undefined)
  stream.end(data)
}

/**
 * Unsafe mode: /box is the host work folder itself. Mounts become symlinks and every `/box` in
 * the command is rewritten to the folder's path.
 */
async function prepareUnsandboxed(
  host: BoxHost,
  request: BoxRequest,
): Promise<{ command: string[]; env: Record<string, string> }> {
  const toHost = (value: string): string => value.replace(/\/box(?=\/|$|[\s'"])/g, request.workDir)
  for (const file of [...request.files, ...(request.mounts ?? [])]) {
    const target = toHost(file.boxPath)
    if (path.resolve(target) !== path.resolve(file.hostPath)) {
      await symlink(file.hostPath, target).catch(() => undefined)
    }
  }
  for (const dir of request.writableDirs ?? []) {
    await mkdir(toHost(dir), { recursive: true })
    await chmod(toHost(dir), 0o777)
  }
  if (host.setprivPath !== undefined) await chmod(request.workDir, 0o777)
  const env = Object.fromEntries(
    Object.entries(request.env).map(([name, value]) => [name, toHost(value)]),
  )
  return { command: request.command.map(toHost), env }
}
