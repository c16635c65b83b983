/** `/invite/:token`: a colleague's invite. Valid links get the account form; others a clear page. */
import { useEffect, useState } from 'react'
import type { InviteStatus } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { navigate } from '../router/useRoute.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import { AcceptInviteForm } from './AuthForms.tsx'
import { formatDate } from './InterviewList.tsx'

export function AcceptInvitePage({ token }: { token: string }) {
  const [status, setStatus] = useState<InviteStatus | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    api.get<InviteStatus>(`/api/invites/${encodeURIComponent(token)}`).then(setStatus, setError)
  }, [token])

  if (error !== null) {
    return (
      <StatusPage title="This invite could not be checked" testId="invite-error">
        <ErrorNotice error={error} />
      </StatusPage>
    )
  }
  if (status === null) return <LoadingPage label="Checking the invite…" />
  if (!status.valid) {
    return (
      <StatusPage
        title="This invite link is not valid"
        message="It may have been used already or have expired. Ask your colleague for a new one."
        testId="invite-invalid"
      />
    )
  }
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="brand brand-large">Tandem</div>
        {status.invitedBy === undefined ? null : (
          <p className="muted">
            {status.invitedBy} invited you
            {status.expiresAt === undefined
              ? ''
              : ` (link valid until ${formatDate(status.expiresAt)})`}
            .
          </p>
        )}
        <AcceptInviteForm token={token} onSignedIn={() => navigate('/', { replace: true })} />
      </div>
    </main>
  )
}
