/**
 * The room's code lives in its own chunks, so the lobby never downloads Monaco or Yjs. Routes
 * that lead to a room call `preloadRoom()` as soon as they know, to overlap the download with
 * their API calls (or with a candidate typing their name).
 */
import { lazy } from 'react'
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

export const LazyRoomScreen = lazy(async () => ({ default: (await preloadRoom()).RoomScreen }))
