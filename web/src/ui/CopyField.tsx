/** A read-only link or secret with a copy button next to it; clicking the field selects it all. */
import { CopyButton } from './CopyButton.tsx'

export interface CopyFieldProps {
  value: string
  /** Accessible name of the field, e.g. "Candidate link". */
  label: string
  /** data-testid of the copy button. */
  testId?: string
}

export function CopyField({ value, label, testId }: CopyFieldProps) {
  return (
    <div className="copy-field">
      <input
        className="input mono"
        readOnly
        value={value}
        aria-label={label}
        onFocus={(event) => event.currentTarget.select()}
      />
      <CopyButton text={value} {...(testId === undefined ? {} : { testId })} />
    </div>
  )
}
