/**
 * A history-API router small enough to read in one sitting: the current route is derived from
 * `location.pathname`; `navigate` pushes a path and notifies subscribers.
 */
import { useSyncExternalStore, type MouseEvent } from 'react'
import { parseRoute, type Route } from './parseRoute.ts'

const listeners = new Set<() => void>()
let current: { path: string; route: Route } | null = null

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  if (listeners.size === 1) window.addEventListener('popstate', notify)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) window.removeEventListener('popstate', notify)
  }
}

function notify(): void {
  for (const listener of listeners) listener()
}

function snapshot(): Route {
  // Cache by path so useSyncExternalStore sees a stable object between renders.
  const path = window.location.pathname
  if (current?.path !== path) current = { path, route: parseRoute(path) }
  return current.route
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot)
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  window.scrollTo(0, 0)
  notify()
}

/** onClick for in-app links: plain clicks navigate without a reload; modified clicks open tabs. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(event.currentTarget.pathname)
}
