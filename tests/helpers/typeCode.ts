/** Puts code into a room's shared file the way a participant does: through a real provider. */
import type * as Y from 'yjs'
import { connectDoc, until, waitForSync } from './clients.ts'

/**
 * Replaces the shared file's text through a real y-websocket provider, as a participant typing,
 * and resolves once the server holds the edit. The returned function disconnects the typist.
 */
export async function typeCode(
  url: string,
  interviewId: string,
  token: string,
  path: string,
  code: string,
): Promise<() => void> {
  const { doc, provider } = connectDoc(url, interviewId, token)
  await waitForSync(provider)
  const files = doc.getMap('files')
  await until(() => files.has(path), 10_000, `file ${path}`)
  const text = files.get(path) as Y.Text
  doc.transact(() => {
    text.delete(0, text.length)
    text.insert(0, code)
  })
  // The edit has reached the server once another client hears it back from there.
  const observer = connectDoc(url, interviewId, token)
  await waitForSync(observer.provider)
  await until(
    () => observer.doc.getMap('files').get(path)?.toString() === code,
    10_000,
    'the edit to reach the server',
  )
  observer.provider.destroy()
  return () => {
    provider.destroy()
    doc.destroy()
  }
}
