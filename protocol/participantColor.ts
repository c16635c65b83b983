/**
 * Presence colours: stable per participant, so a person keeps their colour across reconnects and
 * devices. The server puts this colour in every awareness state it relays; the web app uses the
 * same function for the participant's own presence dot.
 */

/** Distinguishable on both the light and the dark editor theme. */
export const participantColors = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42a5b3',
  '#f032e6',
  '#9a6324',
  '#808000',
  '#008080',
  '#c2185b',
  '#5c6bc0',
] as const

/** The colour for a participant id: FNV-1a over the id, modulo the palette. */
export function participantColor(participantId: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < participantId.length; i++) {
    hash ^= participantId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return participantColors[(hash >>> 0) % participantColors.length] ?? participantColors[0]
}
