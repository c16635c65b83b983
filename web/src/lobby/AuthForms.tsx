/** First-run setup, sign-in and invite acceptance: the three ways an interviewer gets a session. */
import type { SubmitEvent } from 'react'
import type { User } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { Field, formValue } from '../ui/Field.tsx'
import { useAction } from '../ui/useAction.ts'

interface SignedInProps {
  onSignedIn: (user: User) => void
}

export function SetupForm({ onSignedIn }: SignedInProps) {
  return (
    <AccountForm
      title="Set up Tandem"
      intro="Create the first interviewer account for this instance."
      submitLabel="Create account"
      testId="setup-form"
      send={(body) => api.post<{ user: User }>('/api/setup', body)}
      onSignedIn={onSignedIn}
    />
  )
}

export function AcceptInviteForm({ token, onSignedIn }: SignedInProps & { token: string }) {
  return (
    <AccountForm
      title="Join your team on Tandem"
      submitLabel="Create account"
      testId="invite-form"
      send={(body) =>
        api.post<{ user: User }>(`/api/invites/${encodeURIComponent(token)}/accept`, body)
      }
      onSignedIn={onSignedIn}
    />
  )
}

interface AccountFormProps extends SignedInProps {
  title: string
  intro?: string
  submitLabel: string
  testId: string
  send: (body: { name: string; email: string; password: string }) => Promise<{ user: User }>
}

function AccountForm({ title, intro, submitLabel, testId, send, onSignedIn }: AccountFormProps) {
  const action = useAction(send)
  const submit = async (event: SubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    const form = event.currentTarget
    const answer = await action.run({
      name: formValue(form, 'name'),
      email: formValue(form, 'email'),
      password: formValue(form, 'password'),
    })
    if (answer !== undefined) onSignedIn(answer.user)
  }
  return (
    <form className="form" onSubmit={(event) => void submit(event)} data-testid={testId}>
      <h1>{title}</h1>
      {intro === undefined ? null : <p className="muted">{intro}</p>}
      <Field
        label="Your name"
        name="name"
        autoComplete="name"
        required
        maxLength={80}
        error={action.error}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={action.error}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={256}
        hint="At least 10 characters."
        error={action.error}
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.pending}>
        {action.pending ? 'Creating…' : submitLabel}
      </button>
    </form>
  )
}

export function SignInForm({ onSignedIn }: SignedInProps) {
  const action = useAction((body: { email: string; password: string }) =>
    api.post<{ user: User }>('/api/auth/login', body),
  )
  const submit = async (event: SubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    const form = event.currentTarget
    const answer = await action.run({
      email: formValue(form, 'email'),
      password: formValue(form, 'password'),
    })
    if (answer !== undefined) onSignedIn(answer.user)
  }
  return (
    <form className="form" onSubmit={(event) => void submit(event)} data-testid="signin-form">
      <h1>Sign in</h1>
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        autoFocus
        error={action.error}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={action.error}
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.pending}>
        {action.pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted small">New interviewers join with an invite link from a colleague.</p>
    </form>
  )
}
