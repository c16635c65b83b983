/**
 * The instance's webhooks (issue 9.9): register an endpoint for an ATS (its signing secret shown
 * once), choose its events, send a test, turn it off and on, rotate the secret, delete it, and read
 * its delivery log — every attempt's status, the receiver's answer, the next retry.
 */
import { useCallback, useEffect, useState, type SubmitEvent } from 'react'
import { webhookEventTypes } from '../../../protocol/webhookEvents.ts'
import type {
  WebhookDelivery,
  WebhookEndpointCreated,
  WebhookEndpointInfo,
  WebhookEventType,
} from '../../../protocol/webhooks.ts'
import { api } from '../api/apiClient.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { useAction } from '../ui/useAction.ts'
import { formatDate } from './InterviewList.tsx'

const eventLabels: Record<WebhookEventType, string> = {
  'interview.ended': 'Interview ended',
  'report.ready': 'Report ready',
  'scorecard.submitted': 'Scorecard submitted',
}

const path = (id: string, rest = ''): string => `/api/webhooks/${encodeURIComponent(id)}${rest}`

export function WebhooksPanel() {
  const [endpoints, setEndpoints] = useState<WebhookEndpointInfo[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [secret, setSecret] = useState<WebhookEndpointCreated | null>(null)
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<WebhookEventType[]>([...webhookEventTypes])
  const [open, setOpen] = useState<string | null>(null)
  const load = useCallback(() => {
    api.get<WebhookEndpointInfo[]>('/api/webhooks').then(setEndpoints, setLoadError)
  }, [])
  useEffect(load, [load])

  const replace = (info: WebhookEndpointInfo): void =>
    setEndpoints((list) => (list ?? []).map((e) => (e.id === info.id ? info : e)))
  const shown = (created: WebhookEndpointCreated): WebhookEndpointInfo => {
    setSecret(created)
    const { secret: _secret, ...info } = created
    return info
  }
  const create = useAction(async () => {
    const created = await api.post<WebhookEndpointCreated>('/api/webhooks', { url, events })
    setEndpoints((list) => [shown(created), ...(list ?? [])])
    setUrl('')
  })
  const rotate = useAction(async (id: string) => {
    replace(shown(await api.post<WebhookEndpointCreated>(path(id, '/rotate-secret'))))
  })
  const toggle = useAction(async (endpoint: WebhookEndpointInfo) => {
    replace(
      await api.post<WebhookEndpointInfo>(path(endpoint.id, '/enabled'), {
        enabled: !endpoint.enabled,
      }),
    )
  })
  const remove = useAction(async (id: string) => {
    await api.delete<unknown>(path(id))
    setEndpoints((list) => (list ?? []).filter((e) => e.id !== id))
    setSecret((fresh) => (fresh?.id === id ? null : fresh))
  })
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    if (url.trim() !== '' && events.length > 0) void create.run()
  }
  const flip = (type: WebhookEventType): void =>
    setEvents((list) => (list.includes(type) ? list.filter((t) => t !== type) : [...list, type]))

  return (
    <section className="panel" aria-labelledby="webhooks-heading" data-testid="webhooks">
      <div className="panel-head">
        <h2 id="webhooks-heading">Webhooks</h2>
      </div>
      <p className="muted small">
        Tandem posts signed events (Standard Webhooks) to your ATS, retrying with backoff.
      </p>
      {secret === null ? null : (
        <div className="notice notice-success stack" data-testid="webhook-secret">
          <div>Copy the signing secret for {secret.url} now. It will not be shown again.</div>
          <CopyField value={secret.secret} label="Signing secret" testId="copy-webhook-secret" />
        </div>
      )}
      <form className="stack" onSubmit={submit} data-testid="webhook-form">
        <input
          className="input"
          type="url"
          placeholder="https://ats.example.com/hooks/tandem"
          aria-label="Endpoint URL"
          maxLength={2000}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <div className="webhook-events">
          {webhookEventTypes.map((type) => (
            <label key={type} className="small">
              <input type="checkbox" checked={events.includes(type)} onChange={() => flip(type)} />{' '}
              {eventLabels[type]}
            </label>
          ))}
        </div>
        <button
          type="submit"
          className="btn"
          disabled={create.pending || url.trim() === '' || events.length === 0}
        >
          Add endpoint
        </button>
      </form>
      <ErrorNotice
        error={create.error ?? rotate.error ?? toggle.error ?? remove.error ?? loadError}
      />
      {endpoints === null ? null : endpoints.length === 0 ? (
        <p className="muted small">No endpoints.</p>
      ) : (
        <ul className="token-list" data-testid="webhook-list">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="webhook-row" data-testid="webhook-row">
              <div className="webhook-head">
                <div>
                  <div className="strong mono webhook-url">{endpoint.url}</div>
                  <div className="muted small" data-testid="webhook-state">
                    {endpoint.enabled ? 'On' : 'Off'}
                    {endpoint.disabledReason === null ? '' : ` (${endpoint.disabledReason})`} ·{' '}
                    {endpoint.events.map((type) => eventLabels[type]).join(', ')} · added by{' '}
                    {endpoint.createdBy.name} {formatDate(endpoint.createdAt)}
                  </div>
                </div>
              </div>
              <div className="webhook-actions">
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => setOpen((id) => (id === endpoint.id ? null : endpoint.id))}
                >
                  {open === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  disabled={toggle.pending}
                  onClick={() => void toggle.run(endpoint)}
                >
                  {endpoint.enabled ? 'Turn off' : 'Turn on'}
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  disabled={rotate.pending}
                  onClick={() => {
                    if (window.confirm('Rotate the secret? The receiver needs the new one.')) {
                      void rotate.run(endpoint.id)
                    }
                  }}
                >
                  Rotate secret
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={remove.pending}
                  onClick={() => {
                    if (window.confirm(`Delete the endpoint ${endpoint.url}?`)) {
                      void remove.run(endpoint.id)
                    }
                  }}
                >
                  Delete
                </button>
              </div>
              {open === endpoint.id ? <DeliveryLog endpoint={endpoint} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** One endpoint's delivery log, newest first, with a test send and a refresh. */
function DeliveryLog({ endpoint }: { endpoint: WebhookEndpointInfo }) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const load = useCallback(() => {
    setLoadError(null)
    api.get<WebhookDelivery[]>(path(endpoint.id, '/deliveries')).then(setDeliveries, setLoadError)
  }, [endpoint.id])
  useEffect(load, [load])
  const test = useAction(async () => {
    const queued = await api.post<WebhookDelivery>(path(endpoint.id, '/test'))
    setDeliveries((list) => [queued, ...(list ?? [])])
  })
  return (
    <div className="webhook-log" data-testid="webhook-deliveries">
      <div className="webhook-actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={test.pending || !endpoint.enabled}
          onClick={() => void test.run()}
        >
          Send test
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={load}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={test.error ?? loadError} />
      {deliveries === null ? null : deliveries.length === 0 ? (
        <p className="muted small">Nothing sent yet.</p>
      ) : (
        <table className="webhook-table small">
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Tries</th>
              <th>Last answer</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} data-testid="webhook-delivery" data-status={delivery.status}>
                <td className="mono">{delivery.type}</td>
                <td>
                  {delivery.status}
                  {delivery.nextAttemptAt === null
                    ? ''
                    : ` · next ${formatDate(delivery.nextAttemptAt)}`}
                </td>
                <td>
                  {delivery.attempts} of {delivery.maxAttempts}
                </td>
                <td>
                  {delivery.lastStatusCode === null ? '' : `HTTP ${delivery.lastStatusCode} `}
                  {delivery.lastError ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
