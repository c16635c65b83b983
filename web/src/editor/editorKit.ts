/**
 * Everything that needs Monaco, behind one dynamic import (see loadMonaco): the configured
 * editor, the Yjs binding (y-monaco imports Monaco's core itself), remote cursor styles and the
 * lazy TS/JS language service. The room's own chunk imports none of it statically, so the room
 * renders its problem statement and results while the editor is still downloading.
 */
export { editorOptions, monaco, type Monaco } from './monacoSetup.ts'
export { bindSharedFile, EditorBinding } from './EditorBinding.ts'
export { CommentMarkers } from './CommentMarkers.ts'
export { RemoteCursorStyles } from './RemoteCursorStyles.ts'
export { loadTypeScriptService } from './typescriptService.ts'
