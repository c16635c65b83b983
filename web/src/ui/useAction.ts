/**
 * Runs an async action from an event handler and tracks whether it is pending and how it failed,
 * so every form shows its error instead of swallowing it.
 */
import { useCallback, useEffect, useRef, useState } from 'react'

export interface Action<A extends unknown[], T> {
  /** Runs the action; resolves undefined when it failed (the error is in `error`). */
  run: (...args: A) => Promise<T | undefined>
  pending: boolean
  error: unknown
  clearError: () => void
}

export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): Action<A, T> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const mounted = useRef(true)
  const latest = useRef(fn)
  useEffect(() => {
    latest.current = fn
  })
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    setPending(true)
    setError(null)
    try {
      return await latest.current(...args)
    } catch (caught) {
      if (mounted.current) setError(caught)
      return undefined
    } finally {
      if (mounted.current) setPending(false)
    }
  }, [])
  const clearError = useCallback(() => setError(null), [])
  return { run, pending, error, clearError }
}
