/**
 * Builds the single-page app into web/dist, which the server serves with an SPA fallback.
 * Dev: `npx vite --config web/vite.config.ts` proxies the API, socket.io and the collab socket to
 * the server on :3000 (or `TANDEM_SERVER_URL`).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { env } from 'node:process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
/** Where the dev and preview servers forward API and socket traffic. */
const server = env.TANDEM_SERVER_URL ?? 'http://localhost:3000'
const proxy = {
  '/api': server,
  '/socket.io': { target: server, ws: true },
  '/collab': { target: server, ws: true },
}

/**
 * Writes `.br` and `.gz` beside every text asset once, at build time, so the server sends
 * compressed files without compressing on each request (Monaco's core is 3.6 MB raw, ~0.9 MB gzipped).
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|json|ttf|map)$/
  // The resolved output directory, so a build with --outDir (bench/web.ts's naive baseline)
  // compresses its own files and leaves web/dist alone.
  let dist = path.join(root, 'dist')
  return {
    name: 'tandem-precompress',
    apply: 'build',
    configResolved(config) {
      dist = path.resolve(config.root, config.build.outDir)
    },
    async closeBundle() {
      const files = await readdir(dist, { recursive: true })
      await Promise.all(
        files
          .filter((file) => compressible.test(file))
          .map(async (file) => {
            const full = path.join(dist, file)
            const body = await readFile(full)
            if (body.length < 1024) return
            await writeFile(`${full}.gz`, await promisify(gzip)(body, { level: 9 }))
            await writeFile(
              `${full}.br`,
              await promisify(brotliCompress)(body, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: 9,
                  [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                },
              }),
            )
          }),
      )
    },
  }
}

export default defineConfig({
  root,
  plugins: [precompress()],
  base: '/',
  // React 19's automatic runtime through Vite's built-in Oxc transform (no React plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Off by default: Monaco's maps alone are ~33 MB and double the build time.
    sourcemap: env.TANDEM_SOURCEMAP === '1',
    // Monaco's core is one large chunk by nature; the budget is checked in the report, not here.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // The timing report only says that bundling Monaco's 7 MB TypeScript worker takes a while.
      checks: { bundlerTimings: false },
      // protocol/'s modules define zod schemas beside the constants the app imports. Building a
      // schema has no side effects, so calls on `z` are pure: the app gets the constants and none
      // of zod (~25 KB gzipped in the first chunk otherwise). Never call `z.config()` or the like
      // for its effect in code the app bundles: it would be dropped.
      treeshake: { manualPureFunctions: ['z'] },
      output: {
        codeSplitting: {
          // Yjs and its helpers are shared by the room UI and the editor kit; name their chunk
          // after them instead of after whichever module the bundler happens to pick.
          groups: [{ name: 'yjs', test: /node_modules[\\/](yjs|lib0|y-protocols)[\\/]/ }],
        },
      },
    },
  },
  // Monaco's TypeScript worker is created with `new Worker(new URL(...), { type: 'module' })`.
  worker: { format: 'es' },
  server: { proxy },
  preview: { proxy },
})
