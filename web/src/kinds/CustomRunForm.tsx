/**
 * The frame every kind's custom-input form shares: the form, Ctrl/Cmd+Enter to submit from any
 * field, and the Run button with why it is disabled.
 */
import type { KeyboardEvent, ReactNode, SubmitEvent } from 'react'

export interface CustomRunFormProps {
  onSubmit: (event: SubmitEvent) => void
  /** Why running is not possible right now, or null. */
  disabledReason: string | null
  /** The Run button's tooltip when it is enabled. */
  runTitle: string
  /** A note beside the button. */
  hint?: string
  children: ReactNode
}

export function CustomRunForm({
  onSubmit,
  disabledReason,
  runTitle,
  hint,
  children,
}: CustomRunFormProps) {
  return (
    <form
      className="custom-form"
      onSubmit={onSubmit}
      onKeyDown={submitOnCtrlEnter}
      data-testid="custom-input-form"
    >
      {children}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="custom-run-button"
          disabled={disabledReason !== null}
          title={disabledReason ?? runTitle}
        >
          Run with this input
        </button>
        {hint === undefined ? null : <span className="muted small">{hint}</span>}
      </div>
    </form>
  )
}

/** Ctrl/Cmd+Enter in a field runs the custom input instead of the tests. */
function submitOnCtrlEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return
  event.preventDefault()
  event.currentTarget.requestSubmit()
}
