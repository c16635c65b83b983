/**
 * The sandbox process. The server forks it (LocalRunner) with `--no-node-snapshot` (isolated-vm
 * needs it) and talks to it over Node IPC (messages in ipc.ts). It holds the engines
 * (engines.ts) behind one Scheduler and streams each run's events back.
 *
 * It exits when the server asks, when the IPC channel closes (the server is gone), or after it
 * retires: an engine reported a failure that leaves the process unsafe to keep, so it takes no
 * more work than it has, finishes that, and exits for the server to start a fresh one.
 */
import { stop as stopEsbuild } from 'esbuild'
import { z } from 'zod'
import { clipRunnerEvent, clipText, internalErrorSummary, runTextCaps } from '../protocol/run.ts'
import type { EngineContext, SandboxLog } from './Engine.ts'
import { createEngines } from './engines.ts'
import {
  ipcProtocolVersion,
  maxLogDataChars,
  ParentMessageSchema,
  type ChildMessage,
  type WireJob,
} from './ipc.ts'
import { Scheduler } from './Scheduler.ts'
import { TestStore } from './TestStore.ts'

const SettingsSchema = z.object({
  /** Runs executing at once; default one per core. */
  TANDEM_SANDBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Capacity of the store of tests received, bytes of JSON; default 64 MiB (see TestStore). */
  TANDEM_SANDBOX_TEST_STORE_BYTES: z.coerce.number().int().min(0).optional(),
})

/** How long a retiring process may take to finish its runs before it exits anyway, ms. */
const retireDeadlineMs = 120_000

/** Messages handed to IPC and not yet written; exiting waits for them. */
let unsent = 0
let onFlushed: (() => void) | undefined

function send(message: ChildMessage): void {
  if (!process.connected || process.send === undefined) return
  unsent++
  process.send(message, undefined, undefined, () => {
    unsent--
    if (unsent === 0) onFlushed?.()
  })
}

/** Resolves when every message sent so far has been written, or after `ms`. */
async function flushed(ms: number): Promise<void> {
  if (unsent === 0 || !process.connected) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    onFlushed = () => {
      clearTimeout(timer)
      resolve()
    }
  })
}

/**
 * Every message is within the caps the server's schema checks (ipc.ts): what goes into a log line
 * or an event may come from candidate code, and a message over them would get this process killed.
 */
const log: SandboxLog = (level, message, data) => {
  const line = clipText(message, runTextCaps.display)
  if (data === undefined) {
    send({ type: 'log', level, message: line })
    return
  }
  let kept: Record<string, unknown>
  try {
    // Node's IPC (serialization: 'json') sends this JSON; the server checks its length.
    const json = JSON.stringify(data)
    kept = json.length <= maxLogDataChars ? data : { truncated: clipText(json, 4_000) }
  } catch {
    kept = { unserialisable: true }
  }
  send({ type: 'log', level, message: line, data: kept })
}

function start(): void {
  if (process.send === undefined) {
    console.error('sandbox/main.ts is started by the server (LocalRunner), with an IPC channel')
    process.exit(2)
  }
  const settings = SettingsSchema.parse(process.env)
  let retiring = false
  let shuttingDown = false

  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return
    shuttingDown = true
    await scheduler.close()
    await stopEsbuild()
    await flushed(2_000)
    // A retired process may hold a thread that V8 parked for ever; Node's exit path would wait
    // on it and hang, so such a process ends itself with SIGKILL once its messages are out.
    if (retiring) process.kill(process.pid, 'SIGKILL')
    process.exitCode = code
    if (process.connected) process.disconnect()
    // Nothing should keep the loop alive now; if something does, do not wait for it.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2_000).unref()
  }

  const context: EngineContext = {
    env: process.env,
    log,
    retire: (reason) => {
      if (retiring) return
      retiring = true
      log('warn', 'sandbox process retiring', { reason })
      send({ type: 'retiring', reason: clipText(reason, runTextCaps.display) })
      setTimeout(() => void shutdown(0), retireDeadlineMs).unref()
      void scheduler.drain().then(() => shutdown(0))
    },
  }
  const scheduler = new Scheduler({
    engines: createEngines(context),
    concurrency: settings.TANDEM_SANDBOX_CONCURRENCY,
    log,
  })
  const store = new TestStore({ capacityBytes: settings.TANDEM_SANDBOX_TEST_STORE_BYTES })

  const submit = (job: WireJob): void => {
    const resolved = store.resolve(job.tests)
    if ('missing' in resolved) {
      send({ type: 'missing', runId: job.runId, keys: resolved.missing })
      return
    }
    const { runId } = job
    scheduler.submit({ ...job, tests: resolved.tests }, (event) => {
      send({ type: 'event', runId, event: clipRunnerEvent(event) })
    })
  }

  process.on('message', (raw: unknown) => {
    const parsed = ParentMessageSchema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`
      log('warn', 'sandbox refused a malformed message', { issue: where })
      // A malformed job still gets its one exit, so its run does not wait for ever.
      const runId = malformedRunId(raw)
      if (runId !== undefined) {
        const summary = internalErrorSummary(0, `The sandbox refused the job (${where})`)
        send({ type: 'event', runId, event: { type: 'queued', position: 0 } })
        send({ type: 'event', runId, event: { type: 'exit', summary } })
      }
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'run':
        submit(message.job)
        break
      case 'cancel':
        scheduler.cancel(message.runId, message.reason)
        break
      case 'probe':
        void scheduler.languages().then((languages) => {
          send({ type: 'languages', requestId: message.requestId, languages })
        })
        break
      case 'shutdown':
        void shutdown(0)
        break
    }
  })
  // The server is gone (or closed the channel): nothing can receive results any more.
  process.on('disconnect', () => void shutdown(0))
  const crash = (error: string): void => {
    log('error', 'sandbox process crashed', { error })
    void flushed(1_000).then(() => process.kill(process.pid, 'SIGKILL'))
  }
  process.on('uncaughtException', (error) => {
    crash(error.stack ?? String(error))
  })
  process.on('unhandledRejection', (reason) => {
    crash(String(reason))
  })

  send({ type: 'ready', protocol: ipcProtocolVersion, pid: process.pid })
}

/** The run id of a `run` message that failed validation, when it has a usable one. */
function malformedRunId(raw: unknown): string | undefined {
  const message = z
    .object({ type: z.literal('run'), job: z.object({ runId: z.string().min(1).max(200) }) })
    .safeParse(raw)
  return message.success ? message.data.job.runId : undefined
}

start()
