import { describe, expect, it } from 'vitest'
import { cssString, remoteCursorCss, remoteUsers } from '../../web/src/editor/remoteCursorCss.ts'

describe('remote cursor styles', () => {
  it('writes a selection, caret and name rule per remote client in its colour', () => {
    const css = remoteCursorCss(
      remoteUsers(new Map([[7, { user: { name: 'Ada', color: '#22c55e' } }]]), 1),
    )
    expect(css).toContain('.yRemoteSelection-7{background-color:#22c55e40;}')
    expect(css).toContain('.yRemoteSelectionHead-7{')
    expect(css).toContain('.yRemoteSelectionHead-7::after{content:"Ada";background-color:#22c55e;}')
  })

  it('skips its own client and states without a user', () => {
    const states = new Map<number, unknown>([
      [1, { user: { name: 'Me', color: '#22c55e' } }],
      [2, { selection: null }],
      [3, null],
    ])
    expect(remoteUsers(states, 1)).toEqual([])
  })

  // A name is shown inside a CSS string. Unescaped, `"}body{display:none}` would close the
  // string and the rule and hide the whole page for the other participant.
  it('escapes a name that tries to break out of the CSS string', () => {
    const css = remoteCursorCss(
      remoteUsers(
        new Map([[5, { user: { name: '"}body{display:none}/*', color: '#22c55e' } }]]),
        1,
      ),
    )
    const content = /content:("[^"]*");/.exec(css)?.[1]
    expect(content).toBeDefined()
    expect(content).not.toMatch(/[{}/*]/)
    expect(css.match(/\{/g)).toHaveLength(3)
  })

  // The colour is interpolated unquoted, so only #rrggbb may pass.
  it('replaces a colour that is not a plain hex colour', () => {
    const [user] = remoteUsers(
      new Map([[4, { user: { name: 'x', color: 'red;}body{display:none' } }]]),
      1,
    )
    expect(user?.color).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('escapes every character outside letters, digits and spaces', () => {
    expect(cssString("Zoë O'Neil")).toBe('"Zo\\0000eb O\\000027Neil"')
  })
})
