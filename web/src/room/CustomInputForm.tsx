/**
 * Run the code on an input of one's own: one JSON field per parameter for function-style
 * challenges (checked against the signature before sending), a stdin box for stdio ones. The
 * result appears in the Results tab for everyone, like any run.
 */
import { useMemo, useState, type SubmitEvent, type KeyboardEvent } from 'react'
import type { ChallengeView } from '../../../protocol/api.ts'
import type { RunStartPayload } from '../../../protocol/realtime.ts'
import type { Signature } from '../../../protocol/types.ts'
import { prefillArgs, signatureParams, validateArg, validateArgs } from '../run/customInput.ts'

export interface CustomInputFormProps {
  challenge: ChallengeView
  /** Why running is not possible right now, or null. */
  disabledReason: string | null
  onRun: (payload: Extract<RunStartPayload, { mode: 'custom' }>) => void
}

export function CustomInputForm({ challenge, disabledReason, onRun }: CustomInputFormProps) {
  if (challenge.style === 'stdio') {
    const firstInput = challenge.tests.find((test) => test.input !== undefined)?.input
    return <StdinForm initial={firstInput ?? ''} disabledReason={disabledReason} onRun={onRun} />
  }
  if (challenge.call === undefined) {
    return <p className="muted empty">This challenge has no signature to build fields from.</p>
  }
  return (
    <ArgsForm
      signature={challenge.call}
      initial={challenge.tests.find((test) => test.args !== undefined)?.args}
      disabledReason={disabledReason}
      onRun={onRun}
    />
  )
}

/** Ctrl/Cmd+Enter in a field runs the custom input instead of the tests. */
function submitOnCtrlEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return
  event.preventDefault()
  event.currentTarget.requestSubmit()
}

function ArgsForm({
  signature,
  initial,
  disabledReason,
  onRun,
}: {
  signature: Signature
  initial: readonly unknown[] | undefined
  disabledReason: string | null
  onRun: CustomInputFormProps['onRun']
}) {
  const params = useMemo(() => signatureParams(signature), [signature])
  const [texts, setTexts] = useState<string[]>(() => prefillArgs(params, initial))
  const [errors, setErrors] = useState<(string | null)[]>([])
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    const result = validateArgs(params, texts)
    if (!result.ok) {
      setErrors(result.errors)
      return
    }
    setErrors([])
    onRun({ mode: 'custom', args: result.args })
  }
  return (
    <form
      className="custom-form"
      onSubmit={submit}
      onKeyDown={submitOnCtrlEnter}
      data-testid="custom-input-form"
    >
      {params.map((param, i) => {
        const error = errors[i] ?? null
        return (
          <div className="field" key={param.name}>
            <label htmlFor={`custom-arg-${i}`}>
              <span className="mono">{param.name}</span>{' '}
              <span className="muted mono small">{param.typeText}</span>
            </label>
            <textarea
              id={`custom-arg-${i}`}
              className="input mono"
              rows={Math.min(6, Math.max(1, (texts[i] ?? '').split('\n').length))}
              spellCheck={false}
              data-testid="custom-arg"
              aria-invalid={error !== null}
              value={texts[i] ?? ''}
              onChange={(event) => {
                const next = [...texts]
                next[i] = event.target.value
                setTexts(next)
                // Clear a field's error as soon as it becomes valid, not only on the next submit.
                if (error !== null && validateArg(param, event.target.value) === null) {
                  const cleared = [...errors]
                  cleared[i] = null
                  setErrors(cleared)
                }
              }}
            />
            {error === null ? null : <div className="field-issue">{error}</div>}
          </div>
        )
      })}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="custom-run-button"
          disabled={disabledReason !== null}
          title={disabledReason ?? 'Run with these arguments (Ctrl+Enter)'}
        >
          Run with this input
        </button>
        <span className="muted small">Values are JSON, e.g. [1, 2, 3] or "text".</span>
      </div>
    </form>
  )
}

function StdinForm({
  initial,
  disabledReason,
  onRun,
}: {
  initial: string
  disabledReason: string | null
  onRun: CustomInputFormProps['onRun']
}) {
  const [stdin, setStdin] = useState(initial)
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    onRun({ mode: 'custom', stdin })
  }
  return (
    <form
      className="custom-form"
      onSubmit={submit}
      onKeyDown={submitOnCtrlEnter}
      data-testid="custom-input-form"
    >
      <div className="field">
        <label htmlFor="custom-stdin">Standard input</label>
        <textarea
          id="custom-stdin"
          className="input mono"
          rows={6}
          spellCheck={false}
          data-testid="custom-stdin"
          value={stdin}
          onChange={(event) => setStdin(event.target.value)}
        />
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="custom-run-button"
          disabled={disabledReason !== null}
          title={disabledReason ?? 'Run with this input (Ctrl+Enter)'}
        >
          Run with this input
        </button>
      </div>
    </form>
  )
}
