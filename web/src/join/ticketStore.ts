/**
 * The candidate's room ticket, kept in localStorage under the join token so a reload (or a
 * browser restart) goes straight back into the room with the same identity.
 */
import type { RoomTicket } from '../../../protocol/api.ts'

const prefix = 'tandem:ticket:'

/** The stored ticket for a join link, or null when there is none or it does not look right. */
export function loadTicket(storage: Storage, joinToken: string): RoomTicket | null {
  let raw: string | null
  try {
    raw = storage.getItem(prefix + joinToken)
  } catch {
    return null // Storage disabled (private mode, policy): the candidate just joins again.
  }
  if (raw === null) return null
  try {
    const value = JSON.parse(raw) as unknown
    return isTicket(value) ? value : null
  } catch {
    return null
  }
}

export function saveTicket(storage: Storage, joinToken: string, ticket: RoomTicket): void {
  try {
    storage.setItem(prefix + joinToken, JSON.stringify(ticket))
  } catch {
    // Quota or policy: the ticket still works for this page view.
  }
}

export function forgetTicket(storage: Storage, joinToken: string): void {
  try {
    storage.removeItem(prefix + joinToken)
  } catch {
    // Nothing to forget if storage is unavailable.
  }
}

function isTicket(value: unknown): value is RoomTicket {
  if (typeof value !== 'object' || value === null) return false
  const ticket = value as Partial<Record<keyof RoomTicket, unknown>>
  const participant = ticket.participant as Record<string, unknown> | null | undefined
  return (
    typeof ticket.interviewId === 'string' &&
    typeof ticket.participantToken === 'string' &&
    typeof participant === 'object' &&
    participant !== null &&
    typeof participant.participantId === 'string' &&
    typeof participant.name === 'string' &&
    (participant.role === 'candidate' || participant.role === 'interviewer')
  )
}
