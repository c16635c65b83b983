/**
 * The web benchmark's naive baseline: the same app built with the whole of Monaco in the editor
 * chunk, every language service loaded eagerly (bench/lib/naiveMonaco.ts stands in for the
 * editor API that monacoSetup.ts and y-monaco import). Built by bench/web.ts with `--outDir`.
 */
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vite'
import webConfig from '../../web/vite.config.ts'

export default mergeConfig(webConfig, {
  resolve: {
    alias: [
      {
        find: /^monaco-editor\/esm\/vs\/editor\/editor\.api\.js$/,
        replacement: fileURLToPath(new URL('./naiveMonaco.ts', import.meta.url)),
      },
    ],
  },
})
