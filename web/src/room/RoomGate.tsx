/**
 * Between a ticket and the room: fetches the RoomView while the room's code downloads, then
 * hands both to the lazily loaded RoomScreen. Every failure ends on a page that says what
 * happened.
 */
import { Suspense, useEffect, useState } from 'react'
import type { RoomTicket, RoomView } from '../../../protocol/api.ts'
import { ApiError, api, type ApiErrorCode } from '../api/apiClient.ts'
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx'
import { LoadingPage, StatusPage } from '../ui/StatusPage.tsx'
import { LazyRoomScreen } from './loadRoomScreen.ts'
import { preloadRoom } from './preloadRoom.ts'

export interface RoomGateProps {
  ticket: RoomTicket
  /**
   * The server no longer accepts the ticket (401/403/404 on opening the room, or the room cut the
   * participant off: revoked, or the interview ended); the candidate page then checks the join
   * link again, which explains what happened.
   */
  onTicketRejected?: () => void
}

export function RoomGate({ ticket, onTicketRejected }: RoomGateProps) {
  const [view, setView] = useState<RoomView | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    void preloadRoom().catch(() => undefined)
    const controller = new AbortController()
    setView(null)
    setError(null)
    api
      .get<RoomView>('/api/room', { token: ticket.participantToken, signal: controller.signal })
      .then(setView, (caught: unknown) => {
        if (controller.signal.aborted) return
        const rejected =
          caught instanceof ApiError &&
          (caught.code === 'unauthorized' ||
            caught.code === 'forbidden' ||
            caught.code === 'participant_removed' ||
            caught.code === 'not_found')
        if (rejected && onTicketRejected !== undefined) onTicketRejected()
        else setError(caught)
      })
    return () => controller.abort()
  }, [ticket, onTicketRejected])

  if (error !== null) return <RoomErrorPage error={error} />
  if (view === null) return <LoadingPage label="Opening the room…" />
  return (
    <ErrorBoundary title="The room stopped working">
      <Suspense fallback={<LoadingPage label="Loading the editor…" />}>
        <LazyRoomScreen
          ticket={ticket}
          view={view}
          {...(onTicketRejected === undefined ? {} : { onAccessLost: onTicketRejected })}
        />
      </Suspense>
    </ErrorBoundary>
  )
}

/** The page for an error that keeps someone out of a room, worded by its code. */
export function RoomErrorPage({ error }: { error: unknown }) {
  const code = error instanceof ApiError ? error.code : 'internal'
  const message = error instanceof Error ? error.message : undefined
  const known = knownRoomErrors[code]
  if (known !== undefined)
    return <StatusPage title={known.title} message={message} testId={known.testId} />
  return (
    <StatusPage
      title={code === 'network' ? 'Tandem is not reachable' : 'The room could not be opened'}
      message={message}
      testId="room-error"
    >
      <button type="button" className="btn" onClick={() => window.location.reload()}>
        Try again
      </button>
    </StatusPage>
  )
}

/** Errors that retrying will not fix, with their own page title. */
const knownRoomErrors: Partial<Record<ApiErrorCode, { title: string; testId: string }>> = {
  not_found: { title: 'This room does not exist', testId: 'room-not-found' },
  unauthorized: { title: 'Sign in to open this room', testId: 'room-unauthorized' },
  forbidden: { title: 'This room is closed', testId: 'room-closed' },
  conflict: { title: 'This room is closed', testId: 'room-closed' },
}
