/**
 * A challenge's `interviewer.md`: notes for interviewers (what the challenge assesses, follow-up
 * questions) and a `## Rubric` section, one `### criterion` heading each with a numbered list of
 * what scores 1 to 4 mean. Candidates never receive any of it (see ChallengeCatalog.view).
 */
import { marked, type Token, type Tokens } from 'marked'
import type { InterviewerGuide, RubricCriterion } from '../../protocol/api.ts'
import { renderStatement } from './renderStatement.ts'

/** Scores run from 1 to this; issue 9's scorecards use the same scale. */
export const rubricLevels = 4
const maxCriteria = 8

/** A mistake in interviewer.md: `field` is a dotted path such as `rubric.2.levels`. */
export interface GuideProblem {
  field: string
  message: string
}

export class InterviewerGuideError extends Error {
  readonly problem: GuideProblem
  constructor(problem: GuideProblem) {
    super(`${problem.field}: ${problem.message}`)
    this.problem = problem
  }
}

const fail = (field: string, message: string): never => {
  throw new InterviewerGuideError({ field, message })
}

/** The heading's level, or 0 for anything that is not a heading. */
const depthOf = (token: Token): number =>
  token.type === 'heading' ? (token as Tokens.Heading).depth : 0

const isRubricHeading = (token: Token): boolean =>
  depthOf(token) === 2 && (token as Tokens.Heading).text.trim().toLowerCase() === 'rubric'

/** Parses the file's text; throws InterviewerGuideError naming the field that is wrong. */
export function parseInterviewerGuide(markdown: string): InterviewerGuide {
  const tokens = marked.lexer(markdown, { gfm: true })
  const starts = tokens.flatMap((t, i) => (isRubricHeading(t) ? [i] : []))
  const [start] = starts
  if (start === undefined) {
    return fail(
      'rubric',
      'needs a "## Rubric" section: a "### <criterion>" heading per criterion, each followed by ' +
        `a numbered list "1." to "${rubricLevels}." of what each score means`,
    )
  }
  if (starts.length > 1) fail('rubric', 'there must be one "## Rubric" section, not several')
  // The section runs to the next heading of level 1 or 2; what lies around it is the notes.
  const after = tokens.findIndex((t, i) => i > start && depthOf(t) > 0 && depthOf(t) <= 2)
  const end = after === -1 ? tokens.length : after
  // A leading `# Title` is for reading the file itself; the room already shows the title.
  const skip = tokens[0] !== undefined && depthOf(tokens[0]) === 1 ? 1 : 0
  const notes = [...tokens.slice(skip, start), ...tokens.slice(end)].map((t) => t.raw).join('')
  if (notes.trim() === '') {
    fail('notes', 'write what the challenge assesses (and follow-up questions) beside the rubric')
  }
  return {
    notesHtml: renderStatement(notes),
    rubric: parseRubric(tokens.slice(start + 1, end)),
  }
}

function parseRubric(tokens: Token[]): RubricCriterion[] {
  const criteria: { name: string; lists: Tokens.List[] }[] = []
  for (const token of tokens) {
    if (token.type === 'space') continue
    const current = criteria.at(-1)
    if (depthOf(token) === 3) {
      criteria.push({ name: (token as Tokens.Heading).text.trim(), lists: [] })
    } else if (current === undefined) {
      fail(
        'rubric',
        'put text under a "### <criterion>" heading; nothing may come before the first',
      )
    } else if (token.type === 'list') {
      current.lists.push(token as Tokens.List)
    } else {
      fail(
        `rubric.${criteria.length}`,
        `"${current.name}": only a numbered list of the ${rubricLevels} scores may follow the heading`,
      )
    }
  }
  if (criteria.length === 0) fail('rubric', 'has no "### <criterion>" heading')
  if (criteria.length > maxCriteria) fail('rubric', `at most ${maxCriteria} criteria`)
  const ids = new Set<string>()
  return criteria.map(({ name, lists }, i): RubricCriterion => {
    const field = `rubric.${i + 1}`
    if (name === '' || name.length > 80) fail(field, 'a criterion needs a name of 1–80 characters')
    const id = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
    if (id === '' || ids.has(id)) fail(field, `"${name}": criterion names must differ`)
    ids.add(id)
    const [list, extra] = lists
    if (list === undefined || extra !== undefined || !list.ordered || list.start !== 1) {
      fail(`${field}.levels`, `"${name}": needs one numbered list, "1." to "${rubricLevels}."`)
    }
    const levels = (list as Tokens.List).items.map((item) => item.text.replace(/\s+/g, ' ').trim())
    if (levels.length !== rubricLevels) {
      fail(`${field}.levels`, `"${name}": needs ${rubricLevels} scores, found ${levels.length}`)
    }
    levels.forEach((level, n) => {
      if (level === '' || level.length > 500)
        fail(`${field}.levels.${n + 1}`, `"${name}": say in 1–500 characters what ${n + 1} means`)
    })
    return { id, name, levels: levels as RubricCriterion['levels'] }
  })
}
