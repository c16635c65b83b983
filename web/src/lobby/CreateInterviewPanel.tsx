/**
 * Creating an interview: pick a challenge (title, difficulty, tags, languages), optionally name
 * the interview, and choose the starting language. The answer carries the candidate link.
 */
import { useEffect, useMemo, useState, type SubmitEvent } from 'react'
import type { ChallengeSummary, Interview, InterviewCreateBody } from '../../../protocol/api.ts'
import { languageFacts, type LanguageId, type LanguageInfo } from '../../../protocol/languages.ts'
import { api } from '../api/apiClient.ts'
import { useAction } from '../ui/useAction.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { CopyField } from '../ui/CopyField.tsx'

export function CreateInterviewPanel({ onCreated }: { onCreated: (interview: Interview) => void }) {
  const [challenges, setChallenges] = useState<ChallengeSummary[] | null>(null)
  const [languages, setLanguages] = useState<LanguageInfo[]>([])
  const [loadError, setLoadError] = useState<unknown>(null)
  const [slug, setSlug] = useState<string | null>(null)
  const [language, setLanguage] = useState<LanguageId | null>(null)
  const [title, setTitle] = useState('')
  const [plannedMinutes, setPlannedMinutes] = useState(60)
  const [filter, setFilter] = useState('')
  const [created, setCreated] = useState<Interview | null>(null)
  const create = useAction((body: InterviewCreateBody) =>
    api.post<Interview>('/api/interviews', body),
  )

  useEffect(() => {
    Promise.all([
      api.get<ChallengeSummary[]>('/api/challenges'),
      api.get<LanguageInfo[]>('/api/languages'),
    ]).then(([list, langs]) => {
      setChallenges(list)
      setLanguages(langs)
    }, setLoadError)
  }, [])

  const challenge = challenges?.find((c) => c.slug === slug) ?? null
  // Languages the challenge supports and the sandbox can run right now.
  const choices = useMemo(() => {
    if (challenge === null) return []
    return challenge.languages.map((id) => {
      const info = languages.find((l) => l.id === id)
      return { id, name: info?.name ?? languageFacts[id].name, available: info?.available ?? true }
    })
  }, [challenge, languages])
  const needle = filter.trim().toLowerCase()
  const matches = useMemo(() => {
    if (needle === '' || challenges === null) return challenges ?? []
    return challenges.filter((c) =>
      [c.title, c.difficulty, ...c.tags].some((text) => text.toLowerCase().includes(needle)),
    )
  }, [challenges, needle])
  // The filter never hides the selection: "Create interview" creates what is selected, so the
  // selected challenge stays in the list (first, marked) even when it does not match. Before this
  // it vanished and the button still created it.
  const selectedOutside = challenge !== null && !matches.includes(challenge)
  const visible = selectedOutside ? [challenge, ...matches] : matches

  const pick = (next: ChallengeSummary): void => {
    setSlug(next.slug)
    if (language === null || !next.languages.includes(language)) {
      setLanguage(next.languages[0] ?? null)
    }
  }
  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault()
    if (challenge === null) return
    const body: InterviewCreateBody = { challenge: challenge.slug }
    if (title.trim() !== '') body.title = title.trim()
    if (language !== null) body.language = language
    body.plannedMinutes = plannedMinutes
    const interview = await create.run(body)
    if (interview === undefined) return
    setCreated(interview)
    setTitle('')
    onCreated(interview)
  }

  return (
    <section className="panel" aria-labelledby="create-heading">
      <div className="panel-head">
        <h2 id="create-heading">New interview</h2>
        {challenges !== null && challenges.length > 6 ? (
          <input
            className="input input-small"
            type="search"
            placeholder="Filter challenges"
            aria-label="Filter challenges"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        ) : null}
      </div>
      {created === null ? null : (
        <div className="notice notice-success" data-testid="created-interview">
          <div>
            <strong>{created.title}</strong> is ready. Send this link to the candidate:
          </div>
          <CopyField
            value={created.candidateUrl}
            label="Candidate link"
            testId="copy-new-candidate-link"
          />
        </div>
      )}
      <ErrorNotice error={loadError} />
      {challenges === null ? (
        loadError === null ? (
          <p className="muted">Loading challenges…</p>
        ) : null
      ) : challenges.length === 0 ? (
        <p className="muted">No challenges are installed on this server.</p>
      ) : (
        <form onSubmit={(event) => void submit(event)} data-testid="create-interview-form">
          <div className="challenge-list" role="radiogroup" aria-label="Challenge">
            {visible.map((c) => {
              const tags = challengeTags(c)
              return (
                <label
                  key={c.slug}
                  className={`challenge-option ${c.slug === slug ? 'selected' : ''}`}
                  data-testid="challenge-option"
                  data-slug={c.slug}
                  data-outside-filter={selectedOutside && c === challenge}
                >
                  <input
                    type="radio"
                    name="challenge"
                    value={c.slug}
                    checked={c.slug === slug}
                    onChange={() => pick(c)}
                  />
                  <span className="challenge-title">
                    {c.title}
                    {selectedOutside && c === challenge ? (
                      <span className="muted small outside-filter"> · selected, not matching</span>
                    ) : null}
                  </span>
                  <span className={`badge difficulty-${c.difficulty}`}>{c.difficulty}</span>
                  {/* One line of tags; the ones that do not fit are in the tooltip. */}
                  <span className="challenge-meta" title={tags.join(', ')}>
                    {tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                  <span
                    className="challenge-langs muted small"
                    title={c.languages.map((id) => languageFacts[id].name).join(', ')}
                  >
                    {c.languages.map((id) => shortLanguageNames[id]).join(' · ')}
                  </span>
                </label>
              )
            })}
          </div>
          {matches.length === 0 ? (
            <p className="muted small" data-testid="no-challenge-matches">
              No challenge matches “{filter.trim()}”.
            </p>
          ) : null}
          <div className="form-row">
            <div className="field">
              <label htmlFor="interview-title">Title (optional)</label>
              <input
                id="interview-title"
                className="input"
                maxLength={120}
                placeholder={
                  challenge === null ? 'e.g. Backend engineer, round 2' : challenge.title
                }
                value={title}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="interview-language">Starting language</label>
              <select
                id="interview-language"
                className="input"
                data-testid="create-language"
                disabled={challenge === null}
                value={language ?? ''}
                onChange={(event) => setLanguage(event.target.value as LanguageId)}
              >
                {challenge === null ? <option value="">Pick a challenge first</option> : null}
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id} disabled={!choice.available}>
                    {choice.name}
                    {choice.available ? '' : ' (unavailable)'}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="interview-duration">Planned length</label>
              <select
                id="interview-duration"
                className="input"
                data-testid="create-duration"
                value={plannedMinutes}
                onChange={(event) => setPlannedMinutes(Number(event.target.value))}
              >
                {plannedLengths.map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes} minutes
                  </option>
                ))}
              </select>
            </div>
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="create-interview"
              disabled={challenge === null || create.pending}
            >
              {create.pending ? 'Creating…' : 'Create interview'}
            </button>
          </div>
          <ErrorNotice error={create.error} />
        </form>
      )}
    </section>
  )
}

/** Language names short enough for one line per challenge; the full names are in the tooltip. */
const shortLanguageNames: Record<LanguageId, string> = {
  javascript: 'JS',
  typescript: 'TS',
  python: 'Python',
  java: 'Java',
  cpp: 'C++',
  go: 'Go',
}

/** The challenge's tags, led by `stdin/stdout` for stdio challenges unless the author tagged it. */
function challengeTags(challenge: ChallengeSummary): string[] {
  const stdio = 'stdin/stdout'
  return challenge.style === 'stdio' && !challenge.tags.includes(stdio)
    ? [stdio, ...challenge.tags]
    : challenge.tags
}

/** The lengths an interview can be planned for, minutes; everyone's room clock counts against it. */
const plannedLengths = [30, 45, 60, 75, 90, 120] as const
