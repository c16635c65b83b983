/**
 * The stylesheet that colours other people's cursors and selections. y-monaco decorates a remote
 * selection with the classes `yRemoteSelection-<clientID>` and `yRemoteSelectionHead-<clientID>`;
 * this writes one rule set per awareness client, in that client's colour, with its name on the
 * caret.
 *
 * Names come from other people's browsers (the server overwrites them, but defence in depth):
 * nothing from a state reaches the stylesheet unescaped, so a name cannot close the string and
 * inject rules.
 */

import { participantColor } from '../../../protocol/participantColor.ts'

export interface RemoteUser {
  clientId: number
  name: string
  color: string
  role: 'interviewer' | 'candidate'
  /** Who this is, as the server wrote it; undefined for a state it has not relayed yet. */
  participantId: string | undefined
}

/**
 * The users in awareness states, skipping `selfId` (pass -1 to keep everyone) and states without
 * a user object. Used for cursor styles and for the presence list.
 */
export function remoteUsers(states: ReadonlyMap<number, unknown>, selfId: number): RemoteUser[] {
  const users: RemoteUser[] = []
  for (const [clientId, state] of states) {
    if (clientId === selfId || !Number.isSafeInteger(clientId) || clientId < 0) continue
    const user = (state as { user?: unknown } | null)?.user
    if (typeof user !== 'object' || user === null) continue
    const { name, color, role, participantId } = user as {
      name?: unknown
      color?: unknown
      role?: unknown
      participantId?: unknown
    }
    users.push({
      participantId: typeof participantId === 'string' ? participantId : undefined,
      clientId,
      name: typeof name === 'string' && name.trim() !== '' ? name : 'Anonymous',
      color: typeof color === 'string' ? safeColor(color, clientId) : fallbackColor(clientId),
      role: role === 'interviewer' ? 'interviewer' : 'candidate',
    })
  }
  return users
}

export function remoteCursorCss(users: readonly RemoteUser[]): string {
  return users
    .map(({ clientId, name, color }) => {
      const id = String(clientId)
      return [
        `.yRemoteSelection-${id}{background-color:${color}40;}`,
        // `color` is for the name label (::after inherits it): dark or light, whichever reads
        // better on the label's background.
        `.yRemoteSelectionHead-${id}{position:absolute;border-left:2px solid ${color};` +
          `height:100%;box-sizing:border-box;color:${labelTextColor(color)};}`,
        `.yRemoteSelectionHead-${id}::after{content:${cssString(clip(name, 24))};` +
          `background-color:${color};}`,
      ].join('\n')
    })
    .join('\n')
}

/** A CSS string literal where every character outside [A-Za-z0-9 ] is a hex escape. */
export function cssString(text: string): string {
  let out = '"'
  for (const char of text) {
    out += /^[A-Za-z0-9 ]$/.test(char)
      ? char
      : `\\${(char.codePointAt(0) ?? 0x3f).toString(16).padStart(6, '0')}`
  }
  return `${out}"`
}

const palette = [
  '#f97316',
  '#22c55e',
  '#3b82f6',
  '#e11d48',
  '#a855f7',
  '#14b8a6',
  '#eab308',
  '#ec4899',
]

/** Only `#rrggbb`, so the value can be suffixed with an alpha and cannot carry CSS. */
function safeColor(color: string, clientId: number): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : fallbackColor(clientId)
}

function fallbackColor(clientId: number): string {
  return palette[clientId % palette.length] ?? '#3b82f6'
}

/**
 * A participant's colour, as the server assigns it: the server overwrites the `user` we publish
 * with its own identity, so everyone else sees this colour, and our own presence dot must match.
 */
export const colorFor = participantColor

/**
 * Black or white text for a label on `background` (`#rrggbb`), whichever contrasts more (WCAG
 * relative luminance: black wins above about 0.18).
 */
export function labelTextColor(background: string): '#000' | '#fff' {
  const channel = (offset: number): number => {
    const value = Number.parseInt(background.slice(offset, offset + 2), 16) / 255
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? '#000' : '#fff'
}

function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}
