/**
 * The interviewers' notes document for one browser: its own Y.Doc over its own collab socket
 * (`/collab/<id>/notes`, y-websocket), holding the Markdown notes and the line comments (shapes in
 * protocol/notes.ts). Only an interviewer's room creates one; the server refuses a candidate's
 * token on that path before the upgrade anyway. React reads it through `subscribe`/`getSnapshot`.
 */
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { RoomTicket } from '../../../protocol/api.ts'
import { collabParams, collabPathPrefix, collabRoomName } from '../../../protocol/collab.ts'
import {
  maxCommentLength,
  notesCommentsKey,
  notesTextKey,
  readComments,
  type NoteComment,
} from '../../../protocol/notes.ts'
import { colorFor } from '../editor/remoteCursorCss.ts'

export interface NotesSnapshot {
  /** Caught up with the server at least once on this connection: the notes shown are everyone's. */
  synced: boolean
  /** Every comment that parses, oldest first. */
  comments: NoteComment[]
}

/** A comment about to be written: where it points, from the code editor's selection. */
export type CommentDraft = Pick<NoteComment, 'path' | 'anchor' | 'quote'> & {
  /** 1-based lines of the selection, for the form's title. */
  lines: { start: number; end: number }
}

export class NotesConnection {
  readonly doc = new Y.Doc()
  readonly text: Y.Text = this.doc.getText(notesTextKey)
  readonly provider: WebsocketProvider
  readonly #comments: Y.Map<unknown> = this.doc.getMap<unknown>(notesCommentsKey)
  readonly #author: NoteComment['author']
  readonly #listeners = new Set<() => void>()
  #snapshot: NotesSnapshot = { synced: false, comments: [] }
  #closed = false

  constructor(ticket: RoomTicket, origin: string = window.location.origin) {
    const { participant } = ticket
    this.#author = { participantId: participant.participantId, name: participant.name }
    this.provider = new WebsocketProvider(
      `${origin.replace(/^http/, 'ws')}${collabPathPrefix}`,
      collabRoomName(ticket.interviewId, 'notes'),
      this.doc,
      { params: collabParams(ticket.participantToken), disableBc: true },
    )
    this.provider.awareness.setLocalStateField('user', {
      name: participant.name,
      color: colorFor(participant.participantId),
      role: participant.role,
    })
    this.provider.on('sync', this.#onSync)
    this.provider.on('status', this.#onStatus)
    this.#comments.observe(this.#onComments)
  }

  get awareness(): WebsocketProvider['awareness'] {
    return this.provider.awareness
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  getSnapshot = (): NotesSnapshot => this.#snapshot

  /** Writes a comment for every interviewer; throws on an empty or too long text. */
  addComment(draft: CommentDraft, text: string): NoteComment {
    const trimmed = text.trim()
    if (trimmed.length === 0) throw new Error('Write the comment first.')
    if (trimmed.length > maxCommentLength) {
      throw new Error(`A comment holds at most ${maxCommentLength} characters.`)
    }
    const comment: NoteComment = {
      id: crypto.randomUUID(),
      path: draft.path,
      anchor: draft.anchor,
      quote: draft.quote,
      text: trimmed,
      author: this.#author,
      createdAt: new Date().toISOString(),
      resolved: null,
    }
    this.#comments.set(comment.id, comment)
    return comment
  }

  /** Marks a comment resolved (its margin marker goes), or open again. */
  setResolved(id: string, resolved: boolean): void {
    const comment = this.#snapshot.comments.find((c) => c.id === id)
    if (comment === undefined) return
    const next: NoteComment = {
      ...comment,
      resolved: resolved ? { ...this.#author, at: new Date().toISOString() } : null,
    }
    this.#comments.set(id, next)
  }

  deleteComment(id: string): void {
    this.#comments.delete(id)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#comments.unobserve(this.#onComments)
    this.provider.off('sync', this.#onSync)
    this.provider.off('status', this.#onStatus)
    this.provider.destroy()
    this.doc.destroy()
    this.#listeners.clear()
  }

  #set(patch: Partial<NotesSnapshot>): void {
    if (this.#closed) return
    this.#snapshot = { ...this.#snapshot, ...patch }
    for (const listener of this.#listeners) listener()
  }

  readonly #onComments = (): void => this.#set({ comments: readComments(this.doc) })

  readonly #onSync = (synced: boolean): void => {
    this.#set({ synced, comments: readComments(this.doc) })
  }

  readonly #onStatus = ({ status }: { status: string }): void => {
    if (status !== 'connected') this.#set({ synced: false })
  }
}
