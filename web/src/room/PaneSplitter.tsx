/**
 * The bar between the editor and the run panel. Drag it, or focus it and use the arrow keys, to
 * give the results more or less of the height; a double click puts it back. Each browser
 * remembers its own share in localStorage.
 */
import {
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
} from 'react'

/** The run panel's share of the work pane's height, in percent. */
const defaultShare = 40
const minShare = 15
const maxShare = 80
/** How far one arrow key press moves the bar, in percent. */
const keyStep = 5
const storageKey = 'tandem:run-panel-share'

export interface PaneSplitterProps {
  /** The work pane; the bar sets its `--run-share` custom property, which its grid rows use. */
  pane: RefObject<HTMLElement | null>
}

export function PaneSplitter({ pane }: PaneSplitterProps) {
  const [share, setShare] = useState(loadShare)
  const [dragging, setDragging] = useState(false)
  const latest = useRef(share)
  latest.current = share
  useLayoutEffect(() => {
    pane.current?.style.setProperty('--run-share', `${share}%`)
  }, [pane, share])

  const follow = (event: PointerEvent<HTMLDivElement>): void => {
    const box = pane.current?.getBoundingClientRect()
    if (box === undefined || box.height === 0) return
    setShare(clamp(((box.bottom - event.clientY) / box.height) * 100))
  }
  const keys = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.key === 'ArrowUp' ? keyStep : event.key === 'ArrowDown' ? -keyStep : 0
    if (step === 0) return
    event.preventDefault()
    const next = clamp(share + step)
    setShare(next)
    saveShare(next)
  }
  return (
    <div
      className="pane-splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the results panel"
      aria-valuemin={minShare}
      aria-valuemax={maxShare}
      aria-valuenow={share}
      tabIndex={0}
      title="Drag to resize · double-click to reset"
      data-testid="pane-splitter"
      data-dragging={dragging}
      onPointerDown={(event) => {
        if (event.button !== 0) return
        event.currentTarget.setPointerCapture(event.pointerId)
        setDragging(true)
      }}
      onPointerMove={(event) => {
        if (dragging) follow(event)
      }}
      onPointerUp={() => {
        setDragging(false)
        saveShare(latest.current)
      }}
      onPointerCancel={() => setDragging(false)}
      onDoubleClick={() => {
        setShare(defaultShare)
        saveShare(defaultShare)
      }}
      onKeyDown={keys}
    />
  )
}

function clamp(share: number): number {
  return Math.round(Math.min(maxShare, Math.max(minShare, share)))
}

function loadShare(): number {
  try {
    const stored = Number(window.localStorage.getItem(storageKey))
    return stored > 0 ? clamp(stored) : defaultShare
  } catch {
    return defaultShare // Storage disabled: the default each time.
  }
}

function saveShare(share: number): void {
  try {
    window.localStorage.setItem(storageKey, String(share))
  } catch {
    // Not remembered; it still applies to this page.
  }
}
