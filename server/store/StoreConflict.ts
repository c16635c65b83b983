/**
 * What a store rejects with when a write conflicts with what is stored: a reason from a closed
 * set, never a sentence for users. Services map each reason to a TandemError in their own words
 * (AuthService does for these), so every Store implementation (SQLite, PostgreSQL) rejects alike
 * and none has to copy the messages.
 */

/** Why a write was refused. */
export const StoreConflictReasons = [
  /** `users.createFirst` when any account exists. */
  'already_set_up',
  /** `users.create` or `invites.accept` with an email another account has. */
  'email_taken',
  /** `invites.accept` with an invite that is missing, used or expired. */
  'invite_unusable',
  /** `scorecards.put` over a card that is already submitted (submitted cards are final). */
  'scorecard_submitted',
] as const
export type StoreConflictReason = (typeof StoreConflictReasons)[number]

export class StoreConflict extends Error {
  override name = 'StoreConflict'
  readonly reason: StoreConflictReason

  constructor(reason: StoreConflictReason) {
    super(`store conflict: ${reason}`)
    this.reason = reason
  }
}
