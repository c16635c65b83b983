/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/, "Signature scheme"): the secret is
 * `whsec_` + base64 of the key; a message is signed as HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the decoded key, sent as `v1,<base64>` in
 * `webhook-signature`. tests/server/webhooks.test.ts verifies it with the spec's own library.
 */
import { createHmac, randomBytes } from 'node:crypto'

const secretPrefix = 'whsec_'

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return secretPrefix + randomBytes(32).toString('base64')
}

/** The `webhook-id` of a new message: unique, the same on every attempt to deliver it. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`
}

export interface SignInput {
  /** `webhook-id`. */
  id: string
  /** `webhook-timestamp`: when this attempt is made, whole seconds since the Unix epoch. */
  timestamp: number
  /** The exact bytes sent (as UTF-8 text). */
  body: string
  /** `whsec_…`. */
  secret: string
}

/** The three Standard Webhooks headers for one attempt. */
export function signatureHeaders(input: SignInput): Record<string, string> {
  const key = Buffer.from(input.secret.slice(secretPrefix.length), 'base64')
  const signature = createHmac('sha256', key)
    .update(`${input.id}.${String(input.timestamp)}.${input.body}`)
    .digest('base64')
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': `v1,${signature}`,
  }
}
