/**
 * Who is asking: interviewers by session cookie or API token, room participants by participant
 * token. Secrets are random 256-bit values; only their SHA-256 hashes are stored.
 */
import type {
  ApiTokenCreated,
  ApiTokenInfo,
  InviteAcceptBody,
  InviteCreated,
  InviteStatus,
  LoginBody,
  SetupBody,
  User,
} from '../../protocol/api.ts'
import { TandemError } from '../errors.ts'
import { hashSecret, newId, newSecret } from '../ids.ts'
import type { ParticipantRecord, Store, UserRecord } from '../store/Store.ts'
import { StoreConflict, type StoreConflictReason } from '../store/StoreConflict.ts'
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts'
import { LoginThrottle, type ThrottleVerdict } from './LoginThrottle.ts'

/** Sessions last 14 days; invites 7 days. */
export const sessionTtlMs = 14 * 24 * 3600_000
export const inviteTtlMs = 7 * 24 * 3600_000
/** API tokens are recognisable in logs and secret scanners by their prefix. */
export const apiTokenPrefix = 'tdm_'

export interface SignedIn {
  user: UserRecord
  /** The session cookie's value. */
  sessionSecret: string
}

/** What users read when the store refuses an account change (the store itself has no words). */
const conflictMessages: Record<StoreConflictReason, string> = {
  already_set_up: 'Tandem is already set up; ask an interviewer for an invite.',
  email_taken: 'An account with this email already exists.',
  invite_unusable: 'This invite link has been used or has expired.',
  scorecard_submitted: 'This scorecard is submitted; it can no longer change.',
}

/** The store's `write`, with a StoreConflict turned into the `conflict` TandemError users see. */
async function inUsersWords<T>(write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error
    throw new TandemError('conflict', conflictMessages[error.reason], { cause: error })
  }
}

/** A refused sign-in attempt as the 429 users see, with how long to wait (also Retry-After). */
function throwIfThrottled(verdict: ThrottleVerdict): void {
  if (verdict.allowed) return
  const seconds = Math.ceil(verdict.retryAfterMs / 1000)
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
  throw new TandemError('rate_limited', `Too many sign-in attempts. Try again in ${wait}.`, {
    retryAfterSeconds: seconds,
  })
}

export function toUser(record: UserRecord): User {
  return { id: record.id, email: record.email, name: record.name, createdAt: record.createdAt }
}

export class AuthService {
  readonly #store: Store
  /**
   * Password guessing is slowed per (account, address) and per address, never per account alone:
   * a flat ten-tries-per-account limit let anyone lock an interviewer out for 15 minutes from
   * anywhere. Five tries per account from one address, fifty per address over all accounts, then
   * each further try waits twice as long as the last (1 s … 15 min); a success clears the pair.
   */
  readonly #perAccountAndAddress = new LoginThrottle({ freeAttempts: 5 })
  readonly #perAddress = new LoginThrottle({ freeAttempts: 50 })
  /** The throttles' clock, ms (tests hold it still). */
  readonly #now: () => number

  constructor(store: Store, options: { now?: () => number } = {}) {
    this.#store = store
    this.#now = options.now ?? Date.now
  }

  async needsSetup(): Promise<boolean> {
    return (await this.#store.users.count()) === 0
  }

  /** Creates the first interviewer; refused once any account exists. */
  async setup(body: SetupBody): Promise<SignedIn> {
    const user = await inUsersWords(
      this.#store.users.createFirst({
        email: body.email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
      }),
    )
    return { user, sessionSecret: await this.#startSession(user.id) }
  }

  /** Creates an account directly (the CLI; whoever holds the data directory is trusted). */
  async createUser(body: SetupBody): Promise<UserRecord> {
    return inUsersWords(
      this.#store.users.create({
        email: body.email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
      }),
    )
  }

  /** Signs in; `address` is the client's (the socket's peer, or a trusted proxy's word for it). */
  async login(body: LoginBody, address: string): Promise<SignedIn> {
    const pair = `${body.email.toLowerCase()}\n${address}`
    throwIfThrottled(this.#perAddress.attempt(address, this.#now()))
    const forPair = this.#perAccountAndAddress.attempt(pair, this.#now())
    if (!forPair.allowed) this.#perAddress.forgive(address)
    throwIfThrottled(forPair)
    const user = await this.#store.users.byEmail(body.email)
    // Verify against a decoy when the account does not exist, so timing does not reveal accounts.
    const valid = await verifyPassword(body.password, user?.passwordHash ?? (await decoyHash))
    if (user === null || !valid) {
      // Say how long the next try must wait, so clients need not find out by being refused.
      const waitMs = Math.max(
        this.#perAccountAndAddress.failed(pair, this.#now()),
        this.#perAddress.failed(address, this.#now()),
      )
      throw new TandemError('unauthorized', 'Wrong email or password.', {
        ...(waitMs > 0 ? { retryAfterSeconds: Math.ceil(waitMs / 1000) } : {}),
      })
    }
    this.#perAccountAndAddress.reset(pair)
    this.#perAddress.forgive(address)
    return { user, sessionSecret: await this.#startSession(user.id) }
  }

  async logout(sessionSecret: string): Promise<void> {
    await this.#store.sessions.delete(hashSecret(sessionSecret))
  }

  async userFromSession(sessionSecret: string): Promise<UserRecord | null> {
    const session = await this.#store.sessions.get(hashSecret(sessionSecret), new Date())
    return session === null ? null : this.#store.users.byId(session.userId)
  }

  async userFromApiToken(token: string): Promise<UserRecord | null> {
    if (!token.startsWith(apiTokenPrefix)) return null
    const record = await this.#store.apiTokens.byHash(hashSecret(token))
    if (record === null) return null
    await this.#store.apiTokens.touch(record.id, new Date().toISOString())
    return this.#store.users.byId(record.userId)
  }

  async participantFromToken(token: string): Promise<ParticipantRecord | null> {
    if (token.length < 20 || token.length > 200) return null
    return this.#store.participants.byTokenHash(hashSecret(token))
  }

  async createInvite(createdBy: string, publicUrl: string): Promise<InviteCreated> {
    const token = newSecret()
    const now = Date.now()
    const expiresAt = new Date(now + inviteTtlMs).toISOString()
    await this.#store.invites.create({
      tokenHash: hashSecret(token),
      createdBy,
      createdAt: new Date(now).toISOString(),
      expiresAt,
    })
    return { token, url: `${publicUrl}/invite/${token}`, expiresAt }
  }

  async inviteStatus(token: string): Promise<InviteStatus> {
    const invite = await this.#store.invites.get(hashSecret(token))
    if (invite === null || invite.usedAt !== null || invite.expiresAt <= new Date().toISOString()) {
      return { valid: false }
    }
    const inviter = await this.#store.users.byId(invite.createdBy)
    return {
      valid: true,
      expiresAt: invite.expiresAt,
      ...(inviter === null ? {} : { invitedBy: inviter.name }),
    }
  }

  async acceptInvite(token: string, body: InviteAcceptBody): Promise<SignedIn> {
    const user = await inUsersWords(
      this.#store.invites.accept(
        hashSecret(token),
        { email: body.email, name: body.name, passwordHash: await hashPassword(body.password) },
        new Date(),
      ),
    )
    return { user, sessionSecret: await this.#startSession(user.id) }
  }

  async createApiToken(userId: string, name: string): Promise<ApiTokenCreated> {
    const token = `${apiTokenPrefix}${newSecret()}`
    const record = {
      id: newId(),
      userId,
      name,
      tokenHash: hashSecret(token),
      createdAt: new Date().toISOString(),
    }
    await this.#store.apiTokens.create(record)
    return { id: record.id, name, createdAt: record.createdAt, lastUsedAt: null, token }
  }

  async listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
    const tokens = await this.#store.apiTokens.listForUser(userId)
    return tokens.map(({ id, name, createdAt, lastUsedAt }) => ({
      id,
      name,
      createdAt,
      lastUsedAt,
    }))
  }

  async revokeApiToken(userId: string, id: string): Promise<void> {
    if (!(await this.#store.apiTokens.revoke(id, userId))) {
      throw new TandemError('not_found', 'No such API token.')
    }
  }

  async #startSession(userId: string): Promise<string> {
    const secret = newSecret()
    const now = Date.now()
    await this.#store.sessions.create({
      idHash: hashSecret(secret),
      userId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + sessionTtlMs).toISOString(),
    })
    return secret
  }
}
