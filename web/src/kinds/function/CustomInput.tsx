/**
 * The function kind's custom input: one JSON field per parameter, built from the signature as
 * data and prefilled from the first visible test's arguments, each checked against its type
 * before sending (the server checks again).
 */
import { useMemo, useState, type SubmitEvent } from 'react'
import type { Signature } from '../../../../protocol/types.ts'
import { CustomRunForm } from '../CustomRunForm.tsx'
import type { CustomInputProps } from '../WebKind.ts'
import { prefillArgs, signatureParams, validateArg, validateArgs } from './customInput.ts'

export function FunctionCustomInput({ challenge, disabledReason, onRun }: CustomInputProps) {
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

function ArgsForm({
  signature,
  initial,
  disabledReason,
  onRun,
}: {
  signature: Signature
  initial: readonly unknown[] | undefined
  disabledReason: string | null
  onRun: CustomInputProps['onRun']
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
    <CustomRunForm
      onSubmit={submit}
      disabledReason={disabledReason}
      runTitle="Run with these arguments (Ctrl+Enter)"
      hint='Values are JSON, e.g. [1, 2, 3] or "text".'
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
    </CustomRunForm>
  )
}
