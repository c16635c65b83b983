/**
 * Who is in a room. Interviewers have accounts; candidates join with a link. Both are
 * participants of one interview, and every channel says who is who in these terms.
 */
import { z } from 'zod'

export const Roles = ['interviewer', 'candidate'] as const
export const Role = z.enum(Roles)
export type Role = z.infer<typeof Role>

/** Somebody in a room, as others see them. */
export const Participant = z.strictObject({
  participantId: z.string(),
  name: z.string(),
  role: Role,
})
export type Participant = z.infer<typeof Participant>
