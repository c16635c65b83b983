/** The message of an error, inline, in the place where it happened. */
import { errorMessage } from '../api/apiClient.ts'

export function ErrorNotice({ error, testId }: { error: unknown; testId?: string }) {
  if (error === null || error === undefined) return null
  return (
    <div className="notice notice-error" role="alert" data-testid={testId ?? 'error'}>
      {errorMessage(error)}
    </div>
  )
}
