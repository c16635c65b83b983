/** API tokens for scripts and CI: create (the secret is shown once), list, revoke. */
import { useCallback, useEffect, useState, type SubmitEvent } from 'react'
import type { ApiTokenCreated, ApiTokenInfo } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { useAction } from '../ui/useAction.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { CopyField } from '../ui/CopyField.tsx'
import { formatDate } from './InterviewList.tsx'

export function TokensPanel() {
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [fresh, setFresh] = useState<ApiTokenCreated | null>(null)
  const [name, setName] = useState('')
  const load = useCallback(() => {
    api.get<ApiTokenInfo[]>('/api/tokens').then(setTokens, setLoadError)
  }, [])
  useEffect(load, [load])

  const create = useAction(async (tokenName: string) => {
    const token = await api.post<ApiTokenCreated>('/api/tokens', { name: tokenName })
    setFresh(token)
    setName('')
    const { token: _secret, ...info } = token
    setTokens((list) => [info, ...(list ?? [])])
  })
  const revoke = useAction(async (id: string) => {
    await api.delete<unknown>(`/api/tokens/${encodeURIComponent(id)}`)
    setTokens((list) => (list ?? []).filter((token) => token.id !== id))
    setFresh((shown) => (shown?.id === id ? null : shown))
  })
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    if (name.trim() !== '') void create.run(name.trim())
  }

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <div className="panel-head">
        <h2 id="tokens-heading">API tokens</h2>
      </div>
      {fresh === null ? null : (
        <div className="notice notice-success stack" data-testid="token-created">
          <div>
            Copy <strong>{fresh.name}</strong> now. It will not be shown again.
          </div>
          <CopyField value={fresh.token} label="New API token" testId="copy-api-token" />
        </div>
      )}
      <form className="inline-form" onSubmit={submit} data-testid="token-form">
        <input
          className="input"
          placeholder="Token name, e.g. CI"
          aria-label="Token name"
          maxLength={80}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn" disabled={create.pending || name.trim() === ''}>
          Create
        </button>
      </form>
      <ErrorNotice error={create.error ?? revoke.error ?? loadError} />
      {tokens === null ? null : tokens.length === 0 ? (
        <p className="muted small">No tokens.</p>
      ) : (
        <ul className="token-list" data-testid="token-list">
          {tokens.map((token) => (
            <li key={token.id} data-testid="token-row">
              <div>
                <div className="strong">{token.name}</div>
                <div className="muted small">
                  Created {formatDate(token.createdAt)} ·{' '}
                  {token.lastUsedAt === null
                    ? 'never used'
                    : `last used ${formatDate(token.lastUsedAt)}`}
                </div>
              </div>
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={revoke.pending}
                onClick={() => {
                  if (window.confirm(`Revoke "${token.name}"? Scripts using it stop working.`)) {
                    void revoke.run(token.id)
                  }
                }}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
