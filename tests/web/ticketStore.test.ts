import { describe, expect, it } from 'vitest'
import type { RoomTicket } from '../../protocol/api.ts'
import { forgetTicket, loadTicket, saveTicket } from '../../web/src/join/ticketStore.ts'

/** The Storage interface over a Map, as localStorage behaves for one origin. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>()
  get length(): number {
    return this.#items.size
  }
  clear(): void {
    this.#items.clear()
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.#items.delete(key)
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value)
  }
}

const ticket: RoomTicket = {
  interviewId: 'iv1',
  participantToken: 'pt_secret',
  participant: { participantId: 'p1', name: 'Ada', role: 'candidate' },
}

describe('candidate ticket store', () => {
  it('returns the ticket saved for the same join link only', () => {
    const storage = new MemoryStorage()
    saveTicket(storage, 'join-a', ticket)
    expect(loadTicket(storage, 'join-a')).toEqual(ticket)
    expect(loadTicket(storage, 'join-b')).toBeNull()
  })

  it('forgets a ticket the server rejected', () => {
    const storage = new MemoryStorage()
    saveTicket(storage, 'join-a', ticket)
    forgetTicket(storage, 'join-a')
    expect(loadTicket(storage, 'join-a')).toBeNull()
  })

  it('ignores stored values that are not tickets', () => {
    const storage = new MemoryStorage()
    storage.setItem('tandem:ticket:x', '{not json')
    storage.setItem('tandem:ticket:y', JSON.stringify({ interviewId: 'iv1' }))
    expect(loadTicket(storage, 'x')).toBeNull()
    expect(loadTicket(storage, 'y')).toBeNull()
  })
})
