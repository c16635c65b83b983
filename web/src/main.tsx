/** Entry point: mounts the app. Everything a route needs beyond the lobby loads on demand. */
// First, so a room page starts fetching the room and editor chunks before the rest evaluates.
import './room/preloadOnRoomRoute.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import './styles/app.css'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
