/** The machine a benchmark ran on, recorded in every result file. */
import os from 'node:os'

export interface MachineInfo {
  cores: number
  cpuModel: string
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  loadAverageAtStart: number[]
  totalMemoryGiB: number
  node: string
  platform: string
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  }
}
