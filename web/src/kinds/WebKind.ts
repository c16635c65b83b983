/**
 * Challenge kinds, web side: one folder per kind (`web/src/kinds/<kind>/`) with what the room
 * shows differently for it — the labels of a test's input and output in the problem pane, and the
 * custom-input form — looked up by the challenge's `style` (kinds/index.ts).
 */
import type { ComponentType } from 'react'
import type { ChallengeView } from '../../../protocol/api.ts'
import type { RunStartPayload } from '../../../protocol/realtime.ts'

export interface CustomInputProps {
  challenge: ChallengeView
  /** Why running is not possible right now, or null. */
  disabledReason: string | null
  onRun: (payload: Extract<RunStartPayload, { mode: 'custom' }>) => void
}

export interface WebKind {
  /** How the problem pane labels a test's input and its expected output. */
  labels: { input: string; expected: string }
  /** The custom-input form: fields for this kind's input. */
  CustomInput: ComponentType<CustomInputProps>
}
