/**
 * The registry of challenge kinds, web side, by the challenge's `style`. A new kind is a folder
 * and a line here.
 */
import type { ChallengeView } from '../../../protocol/api.ts'
import { functionKind } from './function/index.ts'
import { stdioKind } from './stdio/index.ts'
import type { WebKind } from './WebKind.ts'

export const webKinds: Record<ChallengeView['style'], WebKind> = {
  function: functionKind,
  stdio: stdioKind,
}
