/** `npm start`: Tandem on one machine, embedded database, nothing else to start. */
import { ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { startTandem } from './Tandem.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  const logger = createLogger(config.logLevel)
  const tandem = await startTandem({ config, logger })
  logger.info({ url: tandem.url, dataDir: config.dataDir }, 'Tandem is ready')
  process.stdout.write(`\n  Tandem is running at ${tandem.url}\n\n`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing runs and flushing documents')
    tandem.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Tandem failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
