/** Entry point: mounts the app. Everything a route needs beyond the lobby loads on demand. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { preloadRoom } from './room/loadRoomScreen.ts'
import { parseRoute } from './router/parseRoute.ts'
import './styles/app.css'

// A room page starts fetching the room and editor chunks now, before React's first render.
const { name } = parseRoute(window.location.pathname)
if (name === 'room' || name === 'join') void preloadRoom().catch(() => undefined)

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
