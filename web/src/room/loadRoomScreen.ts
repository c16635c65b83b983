/**
 * The room's code lives in its own chunks, so the lobby never downloads Monaco or Yjs. Routes
 * that lead to a room call `preloadRoom()` as soon as they know, to overlap the download with
 * their API calls (or with a candidate typing their name).
 */
import { lazy } from 'react'
import { preloadRoom } from './preloadRoom.ts'

export const LazyRoomScreen = lazy(async () => ({ default: (await preloadRoom()).RoomScreen }))
