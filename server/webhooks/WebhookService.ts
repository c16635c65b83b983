/**
 * The instance's webhook endpoints as the REST API offers them (`/api/webhooks`): any interviewer
 * registers, lists, turns off, rotates and deletes them (an ATS integration is the team's, not one
 * interviewer's), reads each one's delivery log and sends it a test. A URL is checked against the
 * OutboundGuard when it is registered, and again at every delivery (DNS may change in between).
 */
import type {
  WebhookCreateBody,
  WebhookDelivery,
  WebhookEndpointCreated,
  WebhookEndpointInfo,
} from '../../protocol/webhooks.ts'
import { TandemError } from '../errors.ts'
import { newId } from '../ids.ts'
import type {
  Store,
  UserRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from '../store/Store.ts'
import type { OutboundGuard } from './OutboundGuard.ts'
import { newWebhookSecret } from './signWebhook.ts'
import type { WebhookDispatcher } from './WebhookDispatcher.ts'

export interface WebhookServiceOptions {
  store: Store
  guard: OutboundGuard
  dispatcher: Pick<WebhookDispatcher, 'sendTest' | 'maxAttempts'>
}

/** Entries of a delivery log answered at once, newest first. */
const logLength = 100

export class WebhookService {
  readonly #o: WebhookServiceOptions

  constructor(options: WebhookServiceOptions) {
    this.#o = options
  }

  async list(): Promise<WebhookEndpointInfo[]> {
    const endpoints = await this.#o.store.webhooks.listEndpoints()
    return Promise.all(endpoints.map((endpoint) => this.#info(endpoint)))
  }

  /** Registers an endpoint; the answer carries its secret, the only time it is shown. */
  async create(user: UserRecord, body: WebhookCreateBody): Promise<WebhookEndpointCreated> {
    await this.#o.guard.check(new URL(body.url).hostname)
    const record: WebhookEndpointRecord = {
      id: newId(),
      url: body.url,
      secret: newWebhookSecret(),
      events: [...new Set(body.events)],
      enabled: true,
      disabledReason: null,
      createdBy: user.id,
      createdAt: new Date().toISOString(),
    }
    await this.#o.store.webhooks.createEndpoint(record)
    return { ...(await this.#info(record)), secret: record.secret }
  }

  async delete(id: string): Promise<void> {
    if (!(await this.#o.store.webhooks.deleteEndpoint(id))) throw notFound()
  }

  /** A new secret, at once: messages from now on are signed with it only. Shown this once. */
  async rotateSecret(id: string): Promise<WebhookEndpointCreated> {
    const secret = newWebhookSecret()
    if (!(await this.#o.store.webhooks.setSecret(id, secret))) throw notFound()
    return { ...(await this.#info(await this.#endpoint(id))), secret }
  }

  async setEnabled(id: string, enabled: boolean): Promise<WebhookEndpointInfo> {
    if (enabled) await this.#o.guard.check(new URL((await this.#endpoint(id)).url).hostname)
    if (!(await this.#o.store.webhooks.setEnabled(id, enabled, null))) throw notFound()
    return this.#info(await this.#endpoint(id))
  }

  /** The delivery log, newest first. */
  async deliveries(id: string): Promise<WebhookDelivery[]> {
    await this.#endpoint(id)
    const rows = await this.#o.store.webhooks.listDeliveries(id, logLength)
    return rows.map((row) => this.#delivery(row))
  }

  /** Queues a `webhook.test` message to the endpoint; answers its (pending) delivery. */
  async sendTest(id: string): Promise<WebhookDelivery> {
    const endpoint = await this.#endpoint(id)
    if (!endpoint.enabled) {
      throw new TandemError('conflict', 'This endpoint is turned off; turn it on to send a test.')
    }
    return this.#delivery(await this.#o.dispatcher.sendTest(endpoint))
  }

  async #endpoint(id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.#o.store.webhooks.endpointById(id)
    if (endpoint === null) throw notFound()
    return endpoint
  }

  async #info(endpoint: WebhookEndpointRecord): Promise<WebhookEndpointInfo> {
    const creator = await this.#o.store.users.byId(endpoint.createdBy)
    return {
      id: endpoint.id,
      url: endpoint.url,
      events: endpoint.events,
      enabled: endpoint.enabled,
      disabledReason: endpoint.disabledReason,
      createdBy: { id: endpoint.createdBy, name: creator?.name ?? 'a former interviewer' },
      createdAt: endpoint.createdAt,
    }
  }

  #delivery(row: WebhookDeliveryRecord): WebhookDelivery {
    return {
      id: row.id,
      endpointId: row.endpointId,
      type: row.type,
      status: row.status,
      attempts: row.attempts,
      maxAttempts: this.#o.dispatcher.maxAttempts,
      createdAt: row.createdAt,
      lastAttemptAt: row.lastAttemptAt,
      nextAttemptAt: row.nextAttemptAt,
      lastStatusCode: row.lastStatusCode,
      lastError: row.lastError,
      responseExcerpt: row.responseExcerpt,
    }
  }
}

const notFound = (): TandemError => new TandemError('not_found', 'No such webhook endpoint.')
