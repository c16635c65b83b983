/**
 * `/join/:token`: the candidate's link. Shows the interview's title, asks for a display name and
 * enters the room, no account needed. A stored ticket skips the form on reload.
 */
import { useCallback, useEffect, useState, type SubmitEvent } from 'react'
import type { JoinPreview, RoomTicket } from '../../../protocol/api.ts'
import { signalDisclosure } from '../../../protocol/signals.ts'
import { ApiError, api } from '../api/apiClient.ts'
import { RoomGate } from '../room/RoomGate.tsx'
import { preloadRoom } from '../room/preloadRoom.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { Field } from '../ui/Field.tsx'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import { useAction } from '../ui/useAction.ts'
import { forgetTicket, loadTicket, saveTicket } from './ticketStore.ts'

type JoinState =
  | { step: 'checking' }
  | { step: 'form'; preview: JoinPreview }
  | { step: 'room'; ticket: RoomTicket }
  | { step: 'failed'; error: unknown }

export function JoinPage({ token }: { token: string }) {
  const [state, setState] = useState<JoinState>(() => {
    const stored = loadTicket(window.localStorage, token)
    return stored === null ? { step: 'checking' } : { step: 'room', ticket: stored }
  })

  const check = useCallback(() => {
    setState({ step: 'checking' })
    api.get<JoinPreview>(`/api/join/${encodeURIComponent(token)}`).then(
      (preview) => setState({ step: 'form', preview }),
      (error: unknown) => setState({ step: 'failed', error }),
    )
  }, [token])
  useEffect(() => {
    // The room's code downloads while the candidate reads the page and types their name.
    void preloadRoom().catch(() => undefined)
    if (loadTicket(window.localStorage, token) === null) check()
  }, [token, check])

  /** Set once this tab's ticket stopped working (an interviewer removed it): said on the form. */
  const [lostAccess, setLostAccess] = useState(false)
  const rejected = useCallback(() => {
    forgetTicket(window.localStorage, token)
    setLostAccess(true)
    check()
  }, [token, check])
  const joined = (ticket: RoomTicket): void => {
    saveTicket(window.localStorage, token, ticket)
    setState({ step: 'room', ticket })
  }

  switch (state.step) {
    case 'checking':
      return <LoadingPage label="Checking your link…" />
    case 'failed':
      return <JoinErrorPage error={state.error} />
    case 'room':
      return <RoomGate ticket={state.ticket} onTicketRejected={rejected} />
    case 'form':
      if (state.preview.status === 'ended') {
        return (
          <StatusPage
            title="This interview has ended"
            message="Thanks for taking part. You can close this tab."
            homeLink={false}
            testId="join-ended"
          />
        )
      }
      return (
        <JoinForm token={token} preview={state.preview} onJoined={joined} lostAccess={lostAccess} />
      )
  }
}

function JoinForm({
  token,
  preview,
  onJoined,
  lostAccess,
}: {
  token: string
  preview: JoinPreview
  onJoined: (ticket: RoomTicket) => void
  lostAccess: boolean
}) {
  const [name, setName] = useState('')
  const join = useAction((displayName: string) =>
    api.post<RoomTicket>('/api/join', { token, displayName }),
  )
  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault()
    const ticket = await join.run(name.trim())
    if (ticket !== undefined) onJoined(ticket)
  }
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="brand brand-large">Tandem</div>
        <form className="form" onSubmit={(event) => void submit(event)} data-testid="join-form">
          <p className="muted small">You are invited to a live coding interview</p>
          <h1 data-testid="join-title">{preview.interviewTitle}</h1>
          {lostAccess ? (
            <div className="notice notice-warning" role="status" data-testid="join-removed">
              An interviewer removed you from the room. Join again only if they ask you to.
            </div>
          ) : null}
          <Field
            label="Your name"
            name="displayName"
            hint="Shown to your interviewer next to your cursor."
            autoComplete="name"
            autoFocus
            required
            maxLength={80}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={join.error}
            data-testid="join-name"
          />
          <ErrorNotice error={join.error} />
          {/* Before they start (issue 9.4): exactly what the interviewer will see. */}
          <p className="muted small" data-testid="join-disclosure">
            {signalDisclosure} Nothing is judged automatically.
          </p>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="join-submit"
            disabled={join.pending || name.trim() === ''}
          >
            {join.pending ? 'Joining…' : 'Join the interview'}
          </button>
        </form>
      </div>
    </main>
  )
}

function JoinErrorPage({ error }: { error: unknown }) {
  if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'bad_request')) {
    return (
      <StatusPage
        title="This link is not valid"
        message="Check that you copied the whole link, or ask your interviewer for a new one."
        homeLink={false}
        testId="join-invalid"
      />
    )
  }
  return (
    <StatusPage title="Could not open the interview" homeLink={false} testId="join-error">
      <ErrorNotice error={error} />
      <button type="button" className="btn" onClick={() => window.location.reload()}>
        Try again
      </button>
    </StatusPage>
  )
}
