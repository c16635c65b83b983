/**
 * Scorecards (issue 9.5): each interviewer scores the candidate on the challenge's rubric on their
 * own, with a note per criterion and an overall recommendation. `GET /api/interviews/:id/scorecards`
 * answers `Scorecards`; `PUT /api/interviews/:id/scorecards/me` takes `ScorecardPutBody`.
 *
 * Independence: an interviewer sees the others' cards only once their own is submitted; before,
 * the others appear as a name and a status. The report and the lobby follow the same rule.
 * A submitted card is final: changing it answers `conflict`.
 */
import { z } from 'zod'
import { Interview, RubricCriterion } from './api.ts'

/** The overall call, weakest first. */
export const Recommendations = ['strong_no', 'no', 'yes', 'strong_yes'] as const
export const Recommendation = z.enum(Recommendations)
export type Recommendation = z.infer<typeof Recommendation>

/** How a recommendation reads in a sentence ("2 yes, 1 strong yes"). */
export const recommendationLabels: Record<Recommendation, string> = {
  strong_no: 'strong no',
  no: 'no',
  yes: 'yes',
  strong_yes: 'strong yes',
}

/** Longest note on one criterion, characters. */
export const maxCriterionNote = 4_000
/** Longest overall note, characters. */
export const maxOverallNote = 10_000
/** A rubric has at most this many criteria (server/challenges/parseInterviewerGuide.ts). */
const maxCriteria = 20

/** One criterion of a card: the rubric criterion's id, a score from 1 to 4 (null: not yet), a note. */
export const CriterionScore = z.strictObject({
  criterion: z.string().min(1).max(100),
  score: z.number().int().min(1).max(4).nullable(),
  note: z.string().max(maxCriterionNote),
})
export type CriterionScore = z.infer<typeof CriterionScore>

export const ScorecardStatus = z.enum(['draft', 'submitted'])
export type ScorecardStatus = z.infer<typeof ScorecardStatus>

/** One interviewer's card. `criteria` follows the rubric's order, one entry per criterion. */
export const Scorecard = z.strictObject({
  criteria: z.array(CriterionScore).max(maxCriteria),
  recommendation: Recommendation.nullable(),
  overallNote: z.string().max(maxOverallNote),
  status: ScorecardStatus,
  /** ISO 8601; null for a draft. */
  submittedAt: z.string().nullable(),
  /** ISO 8601: the last save. */
  updatedAt: z.string(),
})
export type Scorecard = z.infer<typeof Scorecard>

/**
 * `PUT /api/interviews/:id/scorecards/me`: the whole card. `submit: false` saves a draft (any
 * criterion may be unscored); `submit: true` also requires every rubric criterion scored and a
 * recommendation, and makes the card final.
 */
export const ScorecardPutBody = z.strictObject({
  criteria: z.array(CriterionScore).max(maxCriteria),
  recommendation: Recommendation.nullable(),
  overallNote: z.string().max(maxOverallNote),
  submit: z.boolean(),
})
export type ScorecardPutBody = z.infer<typeof ScorecardPutBody>

/** Another interviewer's card as the asker may see it. */
export const OtherScorecard = z.strictObject({
  interviewerId: z.string(),
  interviewerName: z.string(),
  status: ScorecardStatus,
  /** The card, only when it is submitted and the asker's own is too; null otherwise. */
  scorecard: Scorecard.nullable(),
})
export type OtherScorecard = z.infer<typeof OtherScorecard>

/** `GET /api/interviews/:id/scorecards`, and the report's `scorecards`. */
export const Scorecards = z.strictObject({
  /** The rubric of the challenge version the interview is pinned to. */
  rubric: z.array(RubricCriterion),
  /** The asker's own card; null before their first save. */
  mine: Scorecard.nullable(),
  /** True once the asker's card is submitted: the others' submitted cards are then in `others`. */
  othersVisible: z.boolean(),
  /** Every other interviewer who saved a card, in the order they first saved. */
  others: z.array(OtherScorecard),
})
export type Scorecards = z.infer<typeof Scorecards>

/** What the lobby shows of an interview's scorecards. */
export const ScorecardTally = z.strictObject({
  /** How many cards are submitted. */
  submitted: z.number().int().nonnegative(),
  /**
   * Every submitted card's recommendation (the asker's included), once the asker's own card for
   * the interview is submitted; null before.
   */
  recommendations: z.array(Recommendation).nullable(),
})
export type ScorecardTally = z.infer<typeof ScorecardTally>

/** One entry of `GET /api/interviews`: the interview, and for an ended one its scorecards' tally. */
export const InterviewListEntry = Interview.extend({ scorecards: ScorecardTally.nullable() })
export type InterviewListEntry = z.infer<typeof InterviewListEntry>

/** "2 yes, 1 strong yes": the count of each recommendation, strongest first; "" for none. */
export function tallyText(recommendations: readonly Recommendation[]): string {
  return [...Recommendations]
    .reverse()
    .map((r) => ({ r, n: recommendations.filter((x) => x === r).length }))
    .filter(({ n }) => n > 0)
    .map(({ r, n }) => `${n} ${recommendationLabels[r]}`)
    .join(', ')
}
