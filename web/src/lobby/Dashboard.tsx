/** The signed-in lobby: interviews on the left; team invites, API tokens and webhooks on the right. */
import { useCallback, useEffect, useState } from 'react'
import type { Interview, User } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { useAction } from '../ui/useAction.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { CreateInterviewPanel } from './CreateInterviewPanel.tsx'
import { InterviewList } from './InterviewList.tsx'
import { InvitePanel } from './InvitePanel.tsx'
import { TokensPanel } from './TokensPanel.tsx'
import { WebhooksPanel } from './WebhooksPanel.tsx'

export interface DashboardProps {
  user: User
  onSignedOut: () => void
}

export function Dashboard({ user, onSignedOut }: DashboardProps) {
  const [interviews, setInterviews] = useState<Interview[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [createdId, setCreatedId] = useState<string | null>(null)
  const signOut = useAction(() => api.post<unknown>('/api/auth/logout'))

  const load = useCallback(() => {
    setLoadError(null)
    api.get<Interview[]>('/api/interviews').then(setInterviews, setLoadError)
  }, [])
  useEffect(load, [load])

  const created = (interview: Interview): void => {
    setInterviews((list) => [interview, ...(list ?? []).filter((i) => i.id !== interview.id)])
    setCreatedId(interview.id)
  }
  const updated = (interview: Interview): void => {
    setInterviews((list) => (list ?? []).map((i) => (i.id === interview.id ? interview : i)))
  }

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">Tandem</div>
        <div className="topbar-spacer" />
        <span className="muted" data-testid="signed-in-user">
          {user.name} · {user.email}
        </span>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          disabled={signOut.pending}
          onClick={() => void signOut.run().then((answer) => answer !== undefined && onSignedOut())}
        >
          Sign out
        </button>
      </header>
      <ErrorNotice error={signOut.error} />
      <main className="dashboard">
        <div className="dashboard-main">
          <CreateInterviewPanel onCreated={created} />
          <section className="panel" aria-labelledby="interviews-heading">
            <div className="panel-head">
              <h2 id="interviews-heading">Interviews</h2>
              <button type="button" className="btn btn-ghost btn-small" onClick={load}>
                Refresh
              </button>
            </div>
            <ErrorNotice error={loadError} />
            {interviews === null ? (
              loadError === null ? (
                <p className="muted">Loading…</p>
              ) : null
            ) : (
              <InterviewList interviews={interviews} highlightId={createdId} onUpdated={updated} />
            )}
          </section>
        </div>
        <aside className="dashboard-side">
          <InvitePanel />
          <TokensPanel />
          <WebhooksPanel />
        </aside>
      </main>
    </div>
  )
}
