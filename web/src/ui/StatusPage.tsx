/**
 * A full-page state for things that stop the user: an ended room, a bad link, a server that is
 * down. Never a blank screen.
 */
import type { ReactNode } from 'react'
import { followLink } from '../router/useRoute.ts'

export interface StatusPageProps {
  title: string
  message?: ReactNode
  /** Extra actions under the message. */
  children?: ReactNode
  /** Show a link back to the lobby. Default true. */
  homeLink?: boolean
  /** data-testid on the page, e.g. `room-ended`. */
  testId?: string
}

export function StatusPage({ title, message, children, homeLink = true, testId }: StatusPageProps) {
  return (
    <main className="status-page" data-testid={testId ?? 'status-page'}>
      <div className="status-card">
        <div className="brand brand-large">Tandem</div>
        <h1>{title}</h1>
        {message === undefined ? null : <p className="muted">{message}</p>}
        {children}
        {homeLink ? (
          <p>
            <a href="/" onClick={followLink}>
              Go to the lobby
            </a>
          </p>
        ) : null}
      </div>
    </main>
  )
}

export function LoadingPage({ label }: { label: string }) {
  return (
    <main className="status-page" aria-busy="true" data-testid="loading">
      <div className="loading">
        <span className="spinner" aria-hidden="true" />
        {label}
      </div>
    </main>
  )
}
