/**
 * Starts downloading the room's chunks (room UI and editor kit, in parallel), once. Free of
 * React on purpose: main.tsx runs it before React and the app are evaluated (see
 * preloadOnRoomRoute.ts).
 */
import { loadMonaco } from '../editor/loadMonaco.ts'

import type * as RoomScreenModuleType from './RoomScreen.tsx'

type RoomScreenModule = typeof RoomScreenModuleType

let loading: Promise<RoomScreenModule> | null = null

export function preloadRoom(): Promise<RoomScreenModule> {
  // The editor chunk is requested in parallel with the room UI, not after it.
  void loadMonaco().catch(() => undefined)
  loading ??= import('./RoomScreen.tsx')
  return loading
}
