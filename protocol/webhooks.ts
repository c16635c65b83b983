/**
 * Outbound webhooks (issue 9.9): endpoints an interviewer registers for the instance (an ATS
 * integration), the events Tandem sends them, and the delivery log, as `/api/webhooks` answers
 * them. Messages follow the Standard Webhooks spec (https://www.standardwebhooks.com/): a JSON
 * body `{ type, timestamp, data }` with `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers. docs/PROTOCOL.md ("Webhooks") says the rest.
 */
import { z } from 'zod'
import { webhookEventTypes } from './webhookEvents.ts'

export { webhookEventTypes } from './webhookEvents.ts'
/** The events an endpoint can subscribe to (the list itself: webhookEvents.ts). */
export const WebhookEventType = z.enum(webhookEventTypes)
export type WebhookEventType = z.infer<typeof WebhookEventType>

/**
 * What "Send test" sends: to the one endpoint asked, whatever it subscribed to, so a receiver can
 * be checked before a real interview ends.
 */
export const webhookTestEvent = 'webhook.test'
/** The `type` of a message: a subscribable event, or the test. */
export type WebhookMessageType = WebhookEventType | typeof webhookTestEvent

/** A URL Tandem may post to: http or https, no user name or password in it, at most 2000 characters. */
export const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const url = new URL(value)
    return url.username === '' && url.password === ''
  }, 'Put no user name or password in the URL; the signature authenticates Tandem')

export const WebhookCreateBody = z.strictObject({
  url: WebhookUrl,
  /** At least one; the endpoint gets only these. */
  events: z.array(WebhookEventType).min(1).max(webhookEventTypes.length),
})
export type WebhookCreateBody = z.infer<typeof WebhookCreateBody>

export const WebhookEnabledBody = z.strictObject({ enabled: z.boolean() })
export type WebhookEnabledBody = z.infer<typeof WebhookEnabledBody>

export const WebhookEndpointInfo = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  /** Why Tandem turned it off (its receiver answered 410 Gone); null when on or turned off by hand. */
  disabledReason: z.string().nullable(),
  /** The interviewer who registered it. */
  createdBy: z.strictObject({ id: z.string(), name: z.string() }),
  /** ISO 8601. */
  createdAt: z.string(),
})
export type WebhookEndpointInfo = z.infer<typeof WebhookEndpointInfo>

/** The answer to creating an endpoint or rotating its secret: the secret, this once. */
export const WebhookEndpointCreated = WebhookEndpointInfo.extend({
  /** `whsec_` + base64 of 32 random bytes, as Standard Webhooks libraries take it. Shown once. */
  secret: z.string(),
})
export type WebhookEndpointCreated = z.infer<typeof WebhookEndpointCreated>

/**
 * `pending`: an attempt is due at `nextAttemptAt` (the first, or a retry); `delivered`: the
 * receiver answered 2xx; `failed`: every attempt failed, or the endpoint is gone or disabled.
 */
export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed'])
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>

/** One message to one endpoint, with how its attempts went (the delivery log). */
export const WebhookDelivery = z.strictObject({
  /** The message's `webhook-id`: the same on every attempt, for receivers to deduplicate. */
  id: z.string(),
  endpointId: z.string(),
  type: z.string(),
  status: WebhookDeliveryStatus,
  /** Attempts made so far. */
  attempts: z.number().int().nonnegative(),
  /** Attempts it gets in all (the retry schedule's length). */
  maxAttempts: z.number().int().positive(),
  /** ISO 8601. */
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  /** When the next attempt is due, ISO 8601; null once delivered or failed. */
  nextAttemptAt: z.string().nullable(),
  /** The last attempt's HTTP status; null when it got none (refused, timed out, unreachable). */
  lastStatusCode: z.number().int().nullable(),
  /** Why the last attempt failed; null after a success. */
  lastError: z.string().nullable(),
  /** The start of the last answer's body (at most 256 characters), for debugging a receiver. */
  responseExcerpt: z.string().nullable(),
})
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

/**
 * The interview as an event tells it: enough for an ATS to match it to a candidate and fetch the
 * rest. Not the candidate link (a bearer secret), the code, notes or runs: the report link has
 * those, for a caller with an API token.
 */
export const WebhookInterview = z.strictObject({
  id: z.string(),
  title: z.string(),
  challenge: z.strictObject({ slug: z.string(), title: z.string() }),
  language: z.string(),
  /** Names as the candidates typed them, in the order they joined. */
  candidates: z.array(z.string()),
  interviewers: z.array(z.string()),
  plannedMinutes: z.number().int(),
  /** ISO 8601. */
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
})
export type WebhookInterview = z.infer<typeof WebhookInterview>

/** Where the interview is, on this Tandem (absolute URLs). */
export const WebhookLinks = z.strictObject({
  /** The report page in the web app (interviewers sign in). */
  report: z.string(),
  /** `GET` with `Authorization: Bearer <API token>`: the report as JSON (InterviewReport). */
  reportJson: z.string(),
  reportHtml: z.string(),
  reportPdf: z.string(),
})
export type WebhookLinks = z.infer<typeof WebhookLinks>

/** `data` of `interview.ended`. */
export const InterviewEndedData = z.strictObject({
  interview: WebhookInterview,
  links: WebhookLinks,
})
export type InterviewEndedData = z.infer<typeof InterviewEndedData>

/** `data` of `report.ready`: the report's figures; the whole report is at `links.reportJson`. */
export const ReportReadyData = InterviewEndedData.extend({
  summary: z.strictObject({
    durationMs: z.number().nullable(),
    runs: z.number().int(),
    passingRuns: z.number().int(),
    lastVerdict: z.string().nullable(),
  }),
  /** Whether report.pdf can be made on this server. */
  pdfAvailable: z.boolean(),
})
export type ReportReadyData = z.infer<typeof ReportReadyData>

/**
 * `data` of `scorecard.submitted`: who submitted and when, and how many cards of the interview
 * are submitted now. Never what a card says: the cards are read from `links.reportJson` by an
 * account's API token, under the same independence rule as every interviewer.
 */
export const ScorecardSubmittedData = InterviewEndedData.extend({
  scorecard: z.strictObject({
    interviewerName: z.string(),
    /** ISO 8601. */
    submittedAt: z.string(),
  }),
  /** Submitted cards of this interview, this one included. */
  submittedCount: z.number().int(),
})
export type ScorecardSubmittedData = z.infer<typeof ScorecardSubmittedData>
