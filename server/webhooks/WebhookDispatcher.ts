/**
 * Sends the instance's webhooks: `emit(type, data)` stores one pending delivery per enabled
 * endpoint subscribed to `type` (so nothing is lost if the server stops), and a small poller
 * attempts whatever is due, retrying failures on the configured schedule with jitter. A restart
 * picks up where the last run left off: pending rows are due again at their `next_attempt_at`.
 *
 * Outcomes: a 2xx delivers; any other status, a timeout or a refused connection is a failure,
 * retried until the schedule runs out; 410 Gone turns the endpoint off (as Standard Webhooks
 * suggests: the receiver says it no longer wants them), failing what was pending for it.
 *
 * Other services announce their events through the `WebhookEmitter` seam (the scorecards'
 * `scorecard.submitted` among them): they get the dispatcher from server/Tandem.ts as an option.
 */
import { webhookTestEvent, type WebhookEventType } from '../../protocol/webhooks.ts'
import type { Logger } from '../logger.ts'
import type { Store, WebhookDeliveryRecord, WebhookEndpointRecord } from '../store/Store.ts'
import type { OutboundGuard } from './OutboundGuard.ts'
import { postWebhook } from './postWebhook.ts'
import { newMessageId, signatureHeaders } from './signWebhook.ts'

/** What a service needs to announce an event: the rest of the dispatcher is not its business. */
export interface WebhookEmitter {
  /**
   * Queues `{ type, timestamp, data }` for every enabled endpoint subscribed to `type`; resolves
   * once the deliveries are stored (not delivered), with how many there are.
   */
  emit(type: WebhookEventType, data: unknown): Promise<number>
}

export interface WebhookDispatcherOptions {
  store: Store
  guard: OutboundGuard
  logger: Logger
  /**
   * The wait before each attempt, ms; its length is the number of attempts. Default
   * `[0, 5000, 30000, 120000, 600000]` (config WEBHOOK_RETRY_SCHEDULE_MS).
   */
  retryScheduleMs: readonly number[]
  /** One attempt's deadline, ms. */
  timeoutMs: number
  /** How often due deliveries are looked for, ms. */
  pollMs: number
  /** Sent as User-Agent. */
  userAgent: string
  /** For tests; default Math.random. */
  random?: () => number
}

/** Deliveries attempted at once, at most. */
const batchSize = 16

export class WebhookDispatcher implements WebhookEmitter {
  readonly #o: WebhookDispatcherOptions
  #timer: NodeJS.Timeout | undefined
  /** The tick in progress, if any; close() waits for it. */
  #ticking: Promise<void> | undefined
  /** A tick was asked for while one ran: run another after it. */
  #again = false
  #closed = false

  constructor(options: WebhookDispatcherOptions) {
    this.#o = options
  }

  get maxAttempts(): number {
    return this.#o.retryScheduleMs.length
  }

  /** Starts polling (pending deliveries from before a restart are due at once). */
  start(): void {
    if (this.#closed || this.#timer !== undefined) return
    this.#timer = setInterval(() => this.#kick(), this.#o.pollMs)
    this.#timer.unref()
    this.#kick()
  }

  /** True when an enabled endpoint subscribed to any of `types` (to skip building unsent data). */
  async hasSubscribers(types: readonly WebhookEventType[]): Promise<boolean> {
    const endpoints = await this.#o.store.webhooks.listEndpoints()
    return endpoints.some((e) => e.enabled && e.events.some((type) => types.includes(type)))
  }

  async emit(type: WebhookEventType, data: unknown): Promise<number> {
    const endpoints = (await this.#o.store.webhooks.listEndpoints()).filter(
      (endpoint) => endpoint.enabled && endpoint.events.includes(type),
    )
    for (const endpoint of endpoints) await this.#enqueue(endpoint, { type, data })
    if (endpoints.length > 0) this.#kick()
    return endpoints.length
  }

  /** Queues a `webhook.test` message for one endpoint, whatever it subscribed to. */
  async sendTest(endpoint: WebhookEndpointRecord): Promise<WebhookDeliveryRecord> {
    const id = await this.#enqueue(endpoint, {
      type: webhookTestEvent,
      data: { endpointId: endpoint.id, message: 'A test message from Tandem.' },
    })
    this.#kick()
    const delivery = await this.#o.store.webhooks.deliveryById(id)
    if (delivery === null) throw new Error(`delivery ${id} vanished`)
    return delivery
  }

  /** Stops polling and waits for the attempts in flight to be recorded. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    this.#again = false
    await this.#ticking
  }

  async #enqueue(
    endpoint: WebhookEndpointRecord,
    message: { type: string; data: unknown },
  ): Promise<string> {
    const now = new Date().toISOString()
    const id = newMessageId()
    // The spec's payload: the event's type, when it happened, and its data.
    const body = JSON.stringify({ type: message.type, timestamp: now, data: message.data })
    await this.#o.store.webhooks.createDelivery({
      id,
      endpointId: endpoint.id,
      type: message.type,
      body,
      createdAt: now,
      nextAttemptAt: now,
    })
    return id
  }

  #kick(): void {
    if (this.#closed) return
    if (this.#ticking !== undefined) {
      this.#again = true
      return
    }
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.#o.logger.error({ err: error }, 'webhook delivery failed'))
      .finally(() => {
        this.#ticking = undefined
        if (this.#again) {
          this.#again = false
          this.#kick()
        }
      })
  }

  async #tick(): Promise<void> {
    for (;;) {
      const due = await this.#o.store.webhooks.dueDeliveries(new Date().toISOString(), batchSize)
      if (due.length === 0 || this.#closed) return
      await Promise.all(due.map((delivery) => this.#attempt(delivery)))
    }
  }

  async #attempt(delivery: WebhookDeliveryRecord): Promise<void> {
    const { store } = this.#o
    const endpoint = await store.webhooks.endpointById(delivery.endpointId)
    if (endpoint === null || !endpoint.enabled) return
    const started = Date.now()
    const outcome = await postWebhook({
      url: endpoint.url,
      headers: signatureHeaders({
        id: delivery.id,
        timestamp: Math.floor(started / 1000),
        body: delivery.body,
        secret: endpoint.secret,
      }),
      body: delivery.body,
      timeoutMs: this.#o.timeoutMs,
      guard: this.#o.guard,
      userAgent: this.#o.userAgent,
    })
    const at = new Date().toISOString()
    if (outcome.delivered) {
      await store.webhooks.recordAttempt(delivery.id, {
        at,
        status: 'delivered',
        nextAttemptAt: null,
        lastStatusCode: outcome.statusCode,
        lastError: null,
        responseExcerpt: outcome.excerpt,
      })
      return
    }
    const attempts = delivery.attempts + 1
    const gone = outcome.statusCode === 410
    const wait = this.#o.retryScheduleMs[attempts]
    const retry = !gone && wait !== undefined
    await store.webhooks.recordAttempt(delivery.id, {
      at,
      status: retry ? 'pending' : 'failed',
      nextAttemptAt: retry ? new Date(Date.now() + this.#jittered(wait)).toISOString() : null,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      responseExcerpt: outcome.excerpt,
    })
    if (gone) {
      await store.webhooks.setEnabled(
        endpoint.id,
        false,
        'The receiver answered 410 Gone: it no longer wants these messages.',
      )
      this.#o.logger.warn({ endpointId: endpoint.id }, 'webhook endpoint answered 410; turned off')
    }
  }

  /** `ms` give or take 20%, so receivers that failed together are not retried together. */
  #jittered(ms: number): number {
    const random = this.#o.random ?? Math.random
    return Math.round(ms * (0.8 + 0.4 * random()))
  }
}
