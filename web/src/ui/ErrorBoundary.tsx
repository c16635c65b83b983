/** Catches render errors and failed chunk loads below it and shows a page instead of nothing. */
import { Component, type ReactNode } from 'react'
import { StatusPage } from './StatusPage.tsx'

interface ErrorBoundaryProps {
  children: ReactNode
  /** Title of the page shown on error. */
  title: string
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children
    return (
      <StatusPage title={this.props.title} message={this.state.error.message} testId="crash">
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>
      </StatusPage>
    )
  }
}
