/**
 * `/`: first-run setup when the instance has no interviewer yet, sign-in when signed out, and the
 * dashboard once signed in.
 */
import { useCallback, useEffect, useState } from 'react'
import type { SessionStatus, User } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { SetupForm, SignInForm } from './AuthForms.tsx'
import { Dashboard } from './Dashboard.tsx'

type Session =
  | { status: 'loading' }
  | { status: 'signedOut'; needsSetup: boolean }
  | { status: 'signedIn'; user: User }
  | { status: 'failed'; error: unknown }

/** Who is signed in, or whether the instance still needs its first interviewer. */
export async function loadSession(): Promise<Session> {
  const session = await api.get<SessionStatus>('/api/session')
  return session.user === null
    ? { status: 'signedOut', needsSetup: session.needsSetup }
    : { status: 'signedIn', user: session.user }
}

export function LobbyPage() {
  const [session, setSession] = useState<Session>({ status: 'loading' })
  const reload = useCallback(() => {
    setSession({ status: 'loading' })
    loadSession().then(setSession, (error: unknown) => setSession({ status: 'failed', error }))
  }, [])
  useEffect(reload, [reload])
  const signedIn = useCallback((user: User) => setSession({ status: 'signedIn', user }), [])

  switch (session.status) {
    case 'loading':
      return <LoadingPage label="Loading…" />
    case 'failed':
      return (
        <StatusPage title="Tandem is not reachable" homeLink={false} testId="lobby-error">
          <ErrorNotice error={session.error} />
          <button type="button" className="btn" onClick={reload}>
            Try again
          </button>
        </StatusPage>
      )
    case 'signedOut':
      return (
        <main className="auth-page">
          <div className="auth-card">
            <div className="brand brand-large">Tandem</div>
            {session.needsSetup ? (
              <SetupForm onSignedIn={signedIn} />
            ) : (
              <SignInForm onSignedIn={signedIn} />
            )}
          </div>
        </main>
      )
    case 'signedIn':
      return (
        <Dashboard
          user={session.user}
          onSignedOut={() => setSession({ status: 'signedOut', needsSetup: false })}
        />
      )
  }
}
