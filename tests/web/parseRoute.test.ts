import { describe, expect, it } from 'vitest'
import { parseRoute, routePath, type Route } from '../../web/src/router/parseRoute.ts'

describe('routes', () => {
  it('maps each page path to its route', () => {
    expect(parseRoute('/')).toEqual({ name: 'lobby' })
    expect(parseRoute('/invite/abc')).toEqual({ name: 'invite', token: 'abc' })
    expect(parseRoute('/join/tok_123/')).toEqual({ name: 'join', token: 'tok_123' })
    expect(parseRoute('/interviews/iv1')).toEqual({ name: 'room', interviewId: 'iv1' })
    expect(parseRoute('/interviews/iv1/report')).toEqual({ name: 'report', interviewId: 'iv1' })
  })

  it('answers not found for unknown paths and malformed escapes', () => {
    expect(parseRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' })
    expect(parseRoute('/join/%E0%A4%A')).toEqual({ name: 'notFound', path: '/join/%E0%A4%A' })
  })

  it('builds paths that parse back to the same route', () => {
    const routes: Route[] = [
      { name: 'lobby' },
      { name: 'invite', token: 'a/b c' },
      { name: 'join', token: 'x?y' },
      { name: 'room', interviewId: 'i#1' },
      { name: 'report', interviewId: 'i#1' },
    ]
    for (const route of routes) expect(parseRoute(routePath(route))).toEqual(route)
  })
})
