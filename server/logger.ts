/** Structured JSON logs (pino). Tests set LOG_LEVEL=silent through the config. */
import { pino, type Logger } from 'pino'

export type { Logger }

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tandem' },
    // Never log secrets, even by accident in a bound object.
    redact: [
      'password',
      '*.password',
      'token',
      '*.token',
      'headers.cookie',
      'headers.authorization',
    ],
  })
}
