/**
 * Document-level access (server/access/accessPolicy.ts `docAccess`), as the collab upgrade asks
 * it for each of an interview's documents: the code for everyone per the interview's state, the
 * interviewers' notes never for a candidate. Pure: the channels are proven by the access matrix.
 */
import { describe, expect, it } from 'vitest'
import {
  docAccess,
  nobody,
  participantActor,
  type Actor,
  type InterviewAccess,
} from '../../server/access/accessPolicy.ts'

const live: InterviewAccess = { id: 'i1', status: 'open', locked: false, runsDisabled: false }
const locked: InterviewAccess = { ...live, locked: true }
const ended: InterviewAccess = { ...live, status: 'ended' }

const interviewer: Actor = { kind: 'user' }
const candidate = participantActor({ interviewId: 'i1', role: 'candidate', removedAt: null })
const removed = participantActor({ interviewId: 'i1', role: 'candidate', removedAt: '2026-12-04' })
const elsewhere = participantActor({ interviewId: 'i2', role: 'candidate', removedAt: null })

describe('document access', () => {
  it('gives the code to everyone per state: written live, read under a lock or after the end', () => {
    expect(docAccess(interviewer, 'code', live)).toBe('write')
    expect(docAccess(interviewer, 'code', locked)).toBe('write')
    expect(docAccess(interviewer, 'code', ended)).toBe('read')
    expect(docAccess(candidate, 'code', live)).toBe('write')
    expect(docAccess(candidate, 'code', locked)).toBe('read')
    expect(docAccess(candidate, 'code', ended)).toBe('none')
  })

  it('keeps the notes from every candidate, and read-only for interviewers once ended', () => {
    expect(docAccess(interviewer, 'notes', live)).toBe('write')
    expect(docAccess(interviewer, 'notes', locked)).toBe('write')
    expect(docAccess(interviewer, 'notes', ended)).toBe('read')
    for (const interview of [live, locked, ended]) {
      expect(docAccess(candidate, 'notes', interview)).toBe('none')
    }
  })

  it('opens nothing to a removed candidate, another interview’s candidate, nobody, or an unknown name', () => {
    for (const actor of [removed, elsewhere, nobody]) {
      expect(docAccess(actor, 'code', live)).toBe('none')
      expect(docAccess(actor, 'notes', live)).toBe('none')
    }
    expect(docAccess(interviewer, 'scratch', live)).toBe('none')
  })
})
