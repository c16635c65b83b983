/**
 * The app's routes, parsed from a pathname. Pure, so it is tested without a browser; the server
 * answers index.html for every one of these paths (SPA fallback).
 */
export type Route =
  | { name: 'lobby' }
  | { name: 'invite'; token: string }
  | { name: 'join'; token: string }
  | { name: 'room'; interviewId: string }
  | { name: 'report'; interviewId: string }
  | { name: 'notFound'; path: string }

const patterns: { pattern: RegExp; build: (match: string) => Route }[] = [
  { pattern: /^\/invite\/([^/]+)\/?$/, build: (token) => ({ name: 'invite', token }) },
  { pattern: /^\/join\/([^/]+)\/?$/, build: (token) => ({ name: 'join', token }) },
  {
    pattern: /^\/interviews\/([^/]+)\/?$/,
    build: (interviewId) => ({ name: 'room', interviewId }),
  },
  {
    pattern: /^\/interviews\/([^/]+)\/report\/?$/,
    build: (interviewId) => ({ name: 'report', interviewId }),
  },
]

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'lobby' }
  for (const { pattern, build } of patterns) {
    const segment = pattern.exec(pathname)?.[1]
    if (segment === undefined) continue
    try {
      return build(decodeURIComponent(segment))
    } catch {
      // A malformed %-escape is a bad link, not a crash.
      return { name: 'notFound', path: pathname }
    }
  }
  return { name: 'notFound', path: pathname }
}

/** The path of a route, the inverse of parseRoute. */
export function routePath(route: Route): string {
  switch (route.name) {
    case 'lobby':
      return '/'
    case 'invite':
      return `/invite/${encodeURIComponent(route.token)}`
    case 'join':
      return `/join/${encodeURIComponent(route.token)}`
    case 'room':
      return `/interviews/${encodeURIComponent(route.interviewId)}`
    case 'report':
      return `/interviews/${encodeURIComponent(route.interviewId)}/report`
    case 'notFound':
      return route.path
  }
}
