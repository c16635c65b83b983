// Lint with type information (typescript-eslint's type-checked presets), as the style guide asks.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

// ---- Allowed import directions (docs/ARCHITECTURE.md) ---------------------------------------
// protocol → nothing of ours · web → protocol · sandbox → protocol · server → protocol and
// sandbox/index.ts only. Inside server/, only the transports (http/, realtime/, the collab
// WebSocket adapter) and the composition root import express, socket.io, ws, http/ or realtime/;
// store/ imports protocol types, store/ itself and ids.ts, nothing else of ours.
//
// ESLint's own no-restricted-imports matches the import's text, and every import of ours is a
// relative path with its .ts extension, so a pattern anchors on the folder it climbs to:
// `(../)+sandbox/` is sandbox/ seen from anywhere below the root. (import-x's no-restricted-paths
// resolves paths instead, but would add a resolver and a native module for the same table.)
// A file gets the options of the last block that matches it, so each block lists all of its rules.

/**
 * An import that climbs out of the current folder into one of `folders` (at the root).
 * @param {string[]} folders
 * @param {string} [rest] what may follow the folder (a lookahead, say)
 */
const into = (folders, rest = '') => `^(?:\\.\\./)+(?:${folders.join('|')})/${rest}`

/**
 * One restricted pattern: `regex` on the import's text, with the reason as the message.
 * @param {string} regex
 * @param {string} message
 * @param {{ allowTypeImports?: boolean }} [options]
 */
const forbid = (regex, message, options = {}) => ({
  regex,
  message,
  caseSensitive: true,
  ...options,
})

/**
 * The rules of one block: imports and re-exports through no-restricted-imports, and dynamic
 * `import('…')` of a literal path, which that rule does not see, through no-restricted-syntax.
 * @param {{ paths?: { name: string, message: string }[], patterns: ReturnType<typeof forbid>[] }} table
 */
const restrict = ({ paths = [], patterns }) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
  'no-restricted-syntax': [
    'error',
    ...patterns.map(({ regex, message }) => ({
      selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\/')}/]`,
      message,
    })),
    ...paths.map(({ name, message }) => ({
      selector: `ImportExpression[source.value='${name}']`,
      message,
    })),
  ],
})

const serverPatterns = [
  forbid(into(['web', 'bench', 'tests']), 'server/ imports protocol/ and sandbox/index.ts only.'),
  forbid(
    into(['sandbox'], '(?!index\\.ts$)'),
    'server/ reaches the sandbox through sandbox/index.ts (its public face) only.',
  ),
]

const transportPackages = ['express', 'socket.io', 'ws'].map((name) => ({
  name,
  message:
    'Only server/http/, server/realtime/ and the collab WebSocket adapter speak a transport.',
}))

const servicePatterns = [
  ...serverPatterns,
  forbid(
    '^(?:\\.\\./)+(?:http|realtime)/',
    'Services never import the transports (http/, realtime/); those call the services.',
  ),
]

const storePatterns = [
  ...serverPatterns,
  forbid(
    '^\\.\\./(?!ids\\.ts$|\\.\\./protocol/)',
    'store/ imports protocol types, store/ itself and ids.ts only: a second Store (PostgreSQL) must not inherit server code.',
  ),
  forbid('^\\.\\./\\.\\./protocol/', 'store/ imports protocol types only (import type).', {
    allowTypeImports: true,
  }),
]

/** The blocks that enforce the table above (exported so tests/gates can name what they prove). */
export const importDirections = [
  {
    files: ['protocol/**/*.ts'],
    rules: restrict({
      patterns: [forbid('^\\.\\./', 'protocol/ is the leaf: it imports nothing of ours.')],
    }),
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: restrict({
      patterns: [
        forbid(
          into(['server', 'sandbox', 'bench', 'tests']),
          'web/ imports protocol/ only; the server reaches it over HTTP, socket.io and the collab socket.',
        ),
      ],
    }),
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: restrict({
      patterns: [
        forbid(into(['server', 'web', 'bench', 'tests']), 'sandbox/ imports protocol/ only.'),
      ],
    }),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict({ patterns: serverPatterns }),
  },
  {
    files: ['server/**/*.ts'],
    // The transports, and the composition root that wires them to the services.
    ignores: [
      'server/http/**',
      'server/realtime/**',
      'server/collab/attachCollab.ts',
      'server/Tandem.ts',
      'server/main.ts',
      'server/cli.ts',
    ],
    rules: restrict({ paths: transportPackages, patterns: servicePatterns }),
  },
  {
    files: ['server/store/**/*.ts'],
    rules: restrict({ paths: transportPackages, patterns: storePatterns }),
  },
]

export default defineConfig(
  {
    ignores: [
      'node_modules/**',
      'web/dist/**',
      'data/**',
      'bench/results/**',
      'bench/tmp/**',
      // Challenge solutions and starters are candidate-style snippets, not project modules.
      'challenges/**',
      'bench/fixtures/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Handlers passed to express / socket.io / ws return promises on purpose; errors are caught inside.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'no-console': 'off',
      // More than three parameters become one options object (STYLE §10). The functions that
      // had more when the rule arrived are counted per file in eslint-suppressions.json: a file
      // may not add one, and its entry goes (eslint --prune-suppressions) once it is fixed.
      '@typescript-eslint/max-params': ['error', { max: 3 }],
    },
  },
  ...importDirections,
  {
    // One way to wait in tests: tests/helpers/waitFor.ts (over vi.waitFor, one parameter order).
    files: ['tests/**/*.ts'],
    ignores: ['tests/helpers/waitFor.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['waitFor', 'waitUntil'].map((property) => ({
          object: 'vi',
          property,
          message: 'Wait with waitFor(condition, what) from tests/helpers/waitFor.ts.',
        })),
      ],
    },
  },
)
