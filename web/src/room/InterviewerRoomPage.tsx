/** `/interviews/:id`: an interviewer enters the room with their session and gets a ticket. */
import { useEffect, useState } from 'react'
import type { RoomTicket } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { LoadingPage } from '../ui/StatusPage.tsx'
import { preloadRoom } from './preloadRoom.ts'
import { RoomErrorPage, RoomGate } from './RoomGate.tsx'

export function InterviewerRoomPage({ interviewId }: { interviewId: string }) {
  const [ticket, setTicket] = useState<RoomTicket | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    void preloadRoom().catch(() => undefined)
    let current = true
    api.post<RoomTicket>(`/api/interviews/${encodeURIComponent(interviewId)}/enter`).then(
      (answer) => current && setTicket(answer),
      (caught: unknown) => current && setError(caught),
    )
    return () => {
      current = false
    }
  }, [interviewId])

  if (error !== null) return <RoomErrorPage error={error} />
  if (ticket === null) return <LoadingPage label="Entering the room…" />
  return <RoomGate ticket={ticket} />
}
