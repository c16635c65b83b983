/**
 * Scorecards (issue 9.5): each interviewer account's card for an interview, checked against the
 * rubric of the challenge version the interview is pinned to, and the independent view of them:
 * the others' cards only once the asker's own is submitted (docs/PROTOCOL.md, "Scorecards").
 * Every reader of scorecards (the REST routes, the report, the lobby) asks `view` or `tally`, so
 * the rule is written once. Callers check access first (server/access/).
 */
import type { RubricCriterion } from '../../protocol/api.ts'
import type { ErrorIssue } from '../../protocol/errors.ts'
import type {
  CriterionScore,
  OtherScorecard,
  Scorecard,
  ScorecardPutBody,
  Scorecards,
  ScorecardTally,
} from '../../protocol/scorecards.ts'
import type { ChallengeCatalog } from '../challenges/ChallengeCatalog.ts'
import { TandemError } from '../errors.ts'
import type { InterviewRecord, ScorecardRecord, Store } from '../store/Store.ts'
import { StoreConflict } from '../store/StoreConflict.ts'

export interface ScorecardServiceOptions {
  store: Pick<Store, 'scorecards' | 'users'>
  catalog: Pick<ChallengeCatalog, 'pinned'>
  /** The clock for `updatedAt` and `submittedAt`; defaults to the system's. */
  now?: () => Date
  /** Told once a card is submitted (the `scorecard.submitted` webhook); must not throw. */
  onSubmitted?: (submission: ScorecardSubmission) => Promise<void>
}

/** A card just submitted. */
export interface ScorecardSubmission {
  interviewId: string
  userId: string
  submittedAt: string
}

/** The interview as scorecards read it. */
export type ScoredInterview = Pick<InterviewRecord, 'id' | 'challengeSlug' | 'challengeVersion'>

/** Shown for a card whose account has since gone (accounts are not deleted today). */
const unknownInterviewer = 'A former interviewer'

export class ScorecardService {
  readonly #o: ScorecardServiceOptions

  constructor(options: ScorecardServiceOptions) {
    this.#o = options
  }

  /**
   * Every card of the interview as `viewerId` may see it; null is a reader with no card of
   * their own (a webhook's report), who sees that cards exist and nothing they say.
   */
  async view(interview: ScoredInterview, viewerId: string | null): Promise<Scorecards> {
    const [rubric, records] = await Promise.all([
      this.#rubric(interview),
      this.#o.store.scorecards.list(interview.id),
    ])
    const mine = records.find((r) => r.userId === viewerId)?.card ?? null
    const othersVisible = mine?.status === 'submitted'
    const others = await Promise.all(
      records
        .filter((r) => r.userId !== viewerId)
        .map(async (r): Promise<OtherScorecard> => {
          const user = await this.#o.store.users.byId(r.userId)
          return {
            interviewerId: r.userId,
            interviewerName: user?.name ?? unknownInterviewer,
            status: r.card.status,
            // The independence rule, in one line: a card is shown only between two submitted ones.
            scorecard: othersVisible && r.card.status === 'submitted' ? r.card : null,
          }
        }),
    )
    return { rubric, mine, othersVisible, others }
  }

  /**
   * Saves `userId`'s card (a draft, or the final submission) and answers the view after it: a
   * submission shows the others' cards at once. `bad_request` for a criterion the rubric lacks or
   * named twice, and for a submission with a criterion unscored or no recommendation;
   * `conflict` once the card is submitted.
   */
  async put(
    interview: ScoredInterview,
    userId: string,
    body: ScorecardPutBody,
  ): Promise<Scorecards> {
    const rubric = await this.#rubric(interview)
    const criteria = cardCriteria(rubric, body)
    if (body.submit) checkComplete(criteria, body)
    const now = (this.#o.now?.() ?? new Date()).toISOString()
    const card: Scorecard = {
      criteria,
      recommendation: body.recommendation,
      overallNote: body.overallNote,
      status: body.submit ? 'submitted' : 'draft',
      submittedAt: body.submit ? now : null,
      updatedAt: now,
    }
    const record: ScorecardRecord = { interviewId: interview.id, userId, card }
    try {
      await this.#o.store.scorecards.put(record)
    } catch (error) {
      if (error instanceof StoreConflict && error.reason === 'scorecard_submitted') {
        throw new TandemError('conflict', 'Your scorecard is submitted; it can no longer change.', {
          cause: error,
        })
      }
      throw error
    }
    if (body.submit)
      await this.#o.onSubmitted?.({ interviewId: interview.id, userId, submittedAt: now })
    return this.view(interview, userId)
  }

  /** What the lobby shows of one interview's cards to `viewerId` (the same rule as `view`). */
  async tally(interviewId: string, viewerId: string): Promise<ScorecardTally> {
    const records = await this.#o.store.scorecards.list(interviewId)
    const submitted = records.filter((r) => r.card.status === 'submitted')
    const mineSubmitted = submitted.some((r) => r.userId === viewerId)
    return {
      submitted: submitted.length,
      recommendations: mineSubmitted
        ? submitted.flatMap((r) => (r.card.recommendation === null ? [] : [r.card.recommendation]))
        : null,
    }
  }

  async #rubric(interview: ScoredInterview): Promise<RubricCriterion[]> {
    const challenge = await this.#o.catalog.pinned(
      interview.challengeSlug,
      interview.challengeVersion,
    )
    return challenge.interviewer.rubric
  }
}

/**
 * The card's criteria in the rubric's order, one per criterion: what the body says of each, or
 * unscored with no note where it says nothing.
 */
function cardCriteria(
  rubric: readonly RubricCriterion[],
  body: ScorecardPutBody,
): CriterionScore[] {
  const known = new Set(rubric.map((c) => c.id))
  const given = new Map<string, CriterionScore>()
  const issues: ErrorIssue[] = []
  body.criteria.forEach((entry, i) => {
    if (!known.has(entry.criterion)) {
      issues.push({ path: `criteria.${i}.criterion`, message: 'Not a criterion of this rubric' })
    } else if (given.has(entry.criterion)) {
      issues.push({ path: `criteria.${i}.criterion`, message: 'Named twice' })
    }
    given.set(entry.criterion, entry)
  })
  throwIssues(issues, 'The scorecard does not match the rubric')
  return rubric.map((c) => given.get(c.id) ?? { criterion: c.id, score: null, note: '' })
}

/** A submission scores every criterion and makes a recommendation. */
function checkComplete(criteria: readonly CriterionScore[], body: ScorecardPutBody): void {
  const issues: ErrorIssue[] = criteria.flatMap((c, i) =>
    c.score === null ? [{ path: `criteria.${i}.score`, message: `Score "${c.criterion}"` }] : [],
  )
  if (body.recommendation === null) {
    issues.push({ path: 'recommendation', message: 'Choose a recommendation' })
  }
  throwIssues(issues, 'Score every criterion and choose a recommendation before submitting')
}

function throwIssues(issues: ErrorIssue[], message: string): void {
  const first = issues[0]
  if (first === undefined) return
  throw new TandemError('bad_request', `${message}: ${first.path} — ${first.message}`, { issues })
}
