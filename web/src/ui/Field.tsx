/** A labelled form input with the server's validation message for it underneath. */
import { useId, type InputHTMLAttributes } from 'react'
import { ApiError } from '../api/apiClient.ts'

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  name: string
  /** The error of the last submit; its issue for `name` (if any) is shown under the input. */
  error?: unknown
  hint?: string
}

export function Field({ label, name, error, hint, ...input }: FieldProps) {
  const id = useId()
  const issue = error instanceof ApiError ? error.issueFor(name) : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        className="input"
        aria-invalid={issue !== undefined}
        aria-describedby={issue === undefined ? undefined : `${id}-issue`}
        {...input}
      />
      {issue === undefined ? (
        hint === undefined ? null : (
          <div className="field-hint">{hint}</div>
        )
      ) : (
        <div className="field-issue" id={`${id}-issue`}>
          {issue}
        </div>
      )}
    </div>
  )
}

/** The value of a named input of a submitted form. */
export function formValue(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name)
  return typeof value === 'string' ? value : ''
}
