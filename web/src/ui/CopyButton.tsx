/**
 * Copies a text to the clipboard and says so for two seconds. Falls back to a hidden textarea
 * where the Clipboard API is unavailable (plain HTTP on a LAN address is not a secure context).
 */
import { useEffect, useState } from 'react'

export interface CopyButtonProps {
  text: string
  /** Button label before copying. Default "Copy". */
  label?: string
  testId?: string
  className?: string
}

export function CopyButton({ text, label = 'Copy', testId, className }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])
  const copy = async (): Promise<void> => {
    setState((await copyText(text)) ? 'copied' : 'failed')
  }
  return (
    <button
      type="button"
      className={`btn btn-small ${className ?? ''}`}
      data-testid={testId}
      data-copied={state === 'copied'}
      onClick={() => void copy()}
      aria-live="polite"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Press Ctrl+C' : label}
    </button>
  )
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // Clipboard API missing or denied: the old selection-based copy still works in most browsers.
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.append(area)
    area.select()
    try {
      // Deprecated, but the only copy that works outside a secure context.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      return document.execCommand('copy')
    } catch {
      return false
    } finally {
      area.remove()
    }
  }
}
