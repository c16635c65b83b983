/**
 * Keeps a `<style>` element in sync with the room's awareness, so remote cursors and selections
 * drawn by y-monaco appear in their owner's colour with their name. One per room; `close()`
 * removes the element and the listener.
 */
import type { Awareness } from 'y-protocols/awareness'
import { remoteCursorCss, remoteUsers } from './remoteCursorCss.ts'

export class RemoteCursorStyles {
  readonly #awareness: Awareness
  readonly #style: HTMLStyleElement
  readonly #update = (): void => {
    this.#style.textContent = remoteCursorCss(
      remoteUsers(this.#awareness.getStates(), this.#awareness.clientID),
    )
  }

  constructor(awareness: Awareness) {
    this.#awareness = awareness
    this.#style = document.createElement('style')
    this.#style.dataset.owner = 'tandem-remote-cursors'
    document.head.append(this.#style)
    awareness.on('change', this.#update)
    this.#update()
  }

  close(): void {
    this.#awareness.off('change', this.#update)
    this.#style.remove()
  }
}
