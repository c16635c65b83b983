/**
 * The awareness states of one room (cursors, selections, who is here), kept by the server instead
 * of y-protocols' Awareness class: no interval timer per room, states stored as the JSON that goes
 * on the wire, and every state tied to the connection that published it.
 *
 * Rules on top of y-protocols' clock semantics:
 * - the server overwrites `user` with the identity it knows for the connection;
 * - a client id belongs to one participant; another participant cannot update or remove it (a
 *   reconnect of the same participant takes it over);
 * - a connection's states are removed, and the removal broadcast, when it closes.
 */
import type { CollabConnection } from './CollabConnection.ts'
import {
  encodeAwareness,
  isNullState,
  parseAwarenessState,
  type AwarenessOutEntry,
  type AwarenessWireEntry,
} from './collabFrames.ts'

interface AwarenessRecord {
  clock: number
  json: string
  owner: CollabConnection
}

export class RoomAwareness {
  readonly #records = new Map<number, AwarenessRecord>()
  readonly #maxClientsPerConnection: number

  constructor(maxClientsPerConnection: number) {
    this.#maxClientsPerConnection = maxClientsPerConnection
  }

  get size(): number {
    return this.#records.size
  }

  /**
   * Applies a peer's entries; returns the frame to forward to the other connections, or null.
   * Throws `FrameError` when a state that would apply is not a JSON object (or null): the frame is
   * then rejected whole, before anything changes.
   */
  apply(connection: CollabConnection, entries: readonly AwarenessWireEntry[]): Uint8Array | null {
    // Decode only what may apply: y-websocket providers send every state they receive back, with
    // the clock the server already has, so two of every three entries are such echoes.
    const states = entries.map((entry) =>
      this.#mayApply(connection, entry) ? parseAwarenessState(entry.stateBytes) : undefined,
    )
    let changed: AwarenessOutEntry[] | null = null
    for (const [i, { clientId, clock }] of entries.entries()) {
      const state = states[i]
      if (state === undefined) continue
      const current = this.#records.get(clientId)
      if (current !== undefined && ownedByAnotherParticipant(current, connection)) continue
      const foreign = current !== undefined && current.owner !== connection
      if (state === null) {
        if (current === undefined || clock < current.clock) continue
        this.#records.delete(clientId)
        current.owner.releaseAwarenessClient(clientId)
        ;(changed ??= []).push({ clientId, clock, json: 'null' })
        continue
      }
      if (current !== undefined && clock <= current.clock) continue
      if (
        (current === undefined || foreign) &&
        connection.awarenessClientCount >= this.#maxClientsPerConnection
      ) {
        continue
      }
      state.user = connection.user
      const json = JSON.stringify(state)
      if (current === undefined || foreign) {
        current?.owner.releaseAwarenessClient(clientId)
        connection.ownAwarenessClient(clientId)
        this.#records.set(clientId, { clock, json, owner: connection })
      } else {
        current.clock = clock
        current.json = json
      }
      ;(changed ??= []).push({ clientId, clock, json })
    }
    return changed === null ? null : encodeAwareness(changed)
  }

  /**
   * Whether an entry could change a state, judged on the records before the frame: a newer clock,
   * or the same clock with a null state (a removal). Another participant's client ids never can.
   */
  #mayApply(
    connection: CollabConnection,
    { clientId, clock, stateBytes }: AwarenessWireEntry,
  ): boolean {
    const current = this.#records.get(clientId)
    if (current === undefined) return true
    if (ownedByAnotherParticipant(current, connection)) return false
    return clock > current.clock || (clock === current.clock && isNullState(stateBytes))
  }

  /** Removes a closed connection's states; returns the removal frame for the others, or null. */
  removeConnection(connection: CollabConnection): Uint8Array | null {
    let removed: AwarenessOutEntry[] | null = null
    for (const clientId of connection.takeAwarenessClients()) {
      const record = this.#records.get(clientId)
      if (record?.owner !== connection) continue
      this.#records.delete(clientId)
      // The same clock with a null state is y-protocols' "this client left".
      ;(removed ??= []).push({ clientId, clock: record.clock, json: 'null' })
    }
    return removed === null ? null : encodeAwareness(removed)
  }

  /** Every current state in one frame, or null when there is none. */
  encodeAll(): Uint8Array | null {
    if (this.#records.size === 0) return null
    const entries: AwarenessOutEntry[] = []
    for (const [clientId, { clock, json }] of this.#records) entries.push({ clientId, clock, json })
    return encodeAwareness(entries)
  }

  /** Decoded states by client id, for tests and the run service's "who is here". */
  states(): Map<number, unknown> {
    const states = new Map<number, unknown>()
    for (const [clientId, { json }] of this.#records) states.set(clientId, JSON.parse(json))
    return states
  }

  clear(): void {
    this.#records.clear()
  }
}

/** A state another participant published: no connection of this one's may change it. */
function ownedByAnotherParticipant(record: AwarenessRecord, connection: CollabConnection): boolean {
  return (
    record.owner !== connection &&
    record.owner.identity.participantId !== connection.identity.participantId
  )
}
