/**
 * Who is in the interview, for interviewers: everyone who joined, whether they are connected now
 * (present in the shared document's awareness) or away, and who was removed. A candidate can be
 * removed from here: their token stops working at once, on every channel.
 */
import { useCallback, useEffect, useState } from 'react'
import type { ParticipantEntry } from '../../../protocol/api.ts'
import { api, errorMessage } from '../api/apiClient.ts'
import type { PresenceEntry } from './RoomConnection.ts'

export interface PeoplePanelProps {
  interviewId: string
  presence: PresenceEntry[]
  /** The interview is still open: removing somebody makes sense. */
  open: boolean
}

export function PeoplePanel({ interviewId, presence, open }: PeoplePanelProps) {
  const [shown, setShown] = useState(false)
  const [people, setPeople] = useState<ParticipantEntry[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const path = `/api/interviews/${encodeURIComponent(interviewId)}/participants`
  const load = useCallback(async () => {
    try {
      setPeople(await api.get<ParticipantEntry[]>(path))
      setError(null)
    } catch (caught) {
      setError(errorMessage(caught))
    }
  }, [path])
  // Someone arriving or leaving changes the presence: read the list again while it is shown.
  const presentIds = presence.flatMap((entry) => entry.participantId ?? []).join(',')
  useEffect(() => {
    if (shown) void load()
  }, [shown, load, presentIds])

  const remove = async (person: ParticipantEntry): Promise<void> => {
    if (!window.confirm(`Remove ${person.name}? Their link stops working at once.`)) return
    try {
      await api.delete<unknown>(`${path}/${encodeURIComponent(person.participantId)}`)
      await load()
    } catch (caught) {
      setError(errorMessage(caught))
    }
  }

  const rows = peopleRows(people ?? [], new Set(presence.flatMap((e) => e.participantId ?? [])))
  return (
    <div className="people">
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={shown}
        data-testid="people-button"
        onClick={() => setShown(!shown)}
      >
        People
      </button>
      {shown ? (
        <div className="people-panel" data-testid="people-panel">
          {error === null ? null : (
            <div className="inline-error" role="alert">
              {error}
            </div>
          )}
          {people === null ? <div className="muted small">Loading…</div> : null}
          <ul>
            {rows.map(({ person, state }) => (
              <li
                key={person.participantId}
                className="people-row"
                data-testid="people-row"
                data-state={state}
                data-role={person.role}
                data-name={person.name}
              >
                <span className={`people-state people-${state}`} aria-hidden="true" />
                <span className="people-name">{person.name}</span>
                <span className="muted small">
                  {person.role} · {state}
                </span>
                {open && state !== 'removed' && person.role === 'candidate' ? (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    data-testid="remove-participant"
                    onClick={() => void remove(person)}
                  >
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  )
}

type PersonState = 'connected' | 'away' | 'removed'

/**
 * One row per candidate join (each is a link of its own, removable on its own) and one per
 * interviewer name: entering a room again makes a new participant, which is the same person.
 */
function peopleRows(
  people: readonly ParticipantEntry[],
  online: ReadonlySet<string>,
): { person: ParticipantEntry; state: PersonState }[] {
  const rows: { person: ParticipantEntry; state: PersonState }[] = []
  const interviewers = new Map<string, { person: ParticipantEntry; state: PersonState }>()
  for (const person of people) {
    const state: PersonState =
      person.removedAt !== null
        ? 'removed'
        : online.has(person.participantId)
          ? 'connected'
          : 'away'
    if (person.role === 'candidate') {
      rows.push({ person, state })
      continue
    }
    const seen = interviewers.get(person.name)
    if (seen === undefined) {
      const row = { person, state }
      interviewers.set(person.name, row)
      rows.push(row)
    } else if (state === 'connected') {
      seen.state = 'connected'
    }
  }
  return rows
}
