/** The stdio kind's custom input: one stdin box, prefilled with the first visible test's stdin. */
import { useState, type SubmitEvent } from 'react'
import { CustomRunForm } from '../CustomRunForm.tsx'
import type { CustomInputProps } from '../WebKind.ts'

export function StdioCustomInput({ challenge, disabledReason, onRun }: CustomInputProps) {
  const firstInput = challenge.tests.find((test) => test.input !== undefined)?.input
  return <StdinForm initial={firstInput ?? ''} disabledReason={disabledReason} onRun={onRun} />
}

function StdinForm({
  initial,
  disabledReason,
  onRun,
}: {
  initial: string
  disabledReason: string | null
  onRun: CustomInputProps['onRun']
}) {
  const [stdin, setStdin] = useState(initial)
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    onRun({ mode: 'custom', stdin })
  }
  return (
    <CustomRunForm
      onSubmit={submit}
      disabledReason={disabledReason}
      runTitle="Run with this input (Ctrl+Enter)"
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
    </CustomRunForm>
  )
}
