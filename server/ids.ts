/** Identifiers and secrets. */
import { createHash, randomBytes } from 'node:crypto'

/** A public identifier: 128 random bits, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url')
}

/** A bearer secret: 256 random bits, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** How secrets are stored: SHA-256, hex. Secrets are high-entropy, so no salt or stretching is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
