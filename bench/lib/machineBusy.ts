/**
 * How busy the whole machine was over a stretch of time: the share of all cores' time spent not
 * idle (every process, the generators' and the kernel's included), from the kernel's counters.
 */
import os from 'node:os'

function totals(): { busy: number; all: number } {
  let busy = 0
  let all = 0
  for (const { times } of os.cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle
    all += sum
    busy += sum - times.idle
  }
  return { busy, all }
}

/** Starts counting; the returned function gives the busy share since then, 0–1. */
export function startMachineBusy(): () => number {
  const start = totals()
  return () => {
    const end = totals()
    const all = end.all - start.all
    return all <= 0 ? 0 : Math.round(((end.busy - start.busy) / all) * 1000) / 1000
  }
}
