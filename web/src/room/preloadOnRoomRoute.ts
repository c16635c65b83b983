/**
 * Imported first by main.tsx, for its side effect: on a room or join page, the room and editor
 * chunks are requested as soon as the entry chunk is parsed, before React and the app are
 * evaluated (ES modules run in import order), not after. Monaco's core is the critical path to
 * a usable editor, so every millisecond its download starts earlier counts.
 */
import { parseRoute } from '../router/parseRoute.ts'
import { preloadRoom } from './preloadRoom.ts'

const { name } = parseRoute(window.location.pathname)
if (name === 'room' || name === 'join') void preloadRoom().catch(() => undefined)
