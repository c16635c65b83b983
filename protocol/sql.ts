/**
 * The SQL channel: the tests a SQL challenge carries, the result sets the engine returns, the
 * difference the UI shows between what was expected and what came back, and the errors
 * PostgreSQL (or the statement check before it) reports, with a line and column in the
 * candidate's text.
 *
 * A SQL run is judged by the host: expected rows never enter the database, where the candidate
 * is superuser (see docs/SQL.md).
 */
import { z } from 'zod'
import { TestResult } from './run.ts'
import type { Verdict } from './verdicts.ts'

/** What the statement check allows, by test kind. Only `query` exists so far (docs/SQL.md). */
export const SqlTestKinds = ['query'] as const
export const SqlTestKind = z.enum(SqlTestKinds)
export type SqlTestKind = z.infer<typeof SqlTestKind>

/**
 * One column of a result set. `type` is PostgreSQL's name for it as `format_type` prints it
 * (`integer`, `bigint`, `numeric`, `text`, `character varying`, `timestamp with time zone`); an
 * author may write the usual aliases (`int`, `int8`, `varchar`, `timestamptz`), see
 * `canonicalSqlType`.
 */
export const SqlColumn = z.strictObject({
  name: z.string().max(200),
  type: z.string().min(1).max(200),
})
export type SqlColumn = z.infer<typeof SqlColumn>

/**
 * A cell as a test writes it and as the engine returns it: null, or a JSON scalar. The engine
 * returns every value as PostgreSQL's text form (numeric `2.50`, date `2024-01-02`, bigint
 * `9007199254740993`), normalised for comparison on the host (sandbox/sql/compareResults.ts); an author may write
 * numbers and booleans as JSON.
 */
export const SqlCell = z.union([z.null(), z.string(), z.number(), z.boolean()])
export type SqlCell = z.infer<typeof SqlCell>

export const SqlRow = z.array(SqlCell)
export type SqlRow = z.infer<typeof SqlRow>

/** Rows and columns as a test expects them. */
export const SqlExpectedResult = z.strictObject({
  columns: z.array(SqlColumn).min(1).max(200),
  rows: z.array(SqlRow).max(100_000),
})
export type SqlExpectedResult = z.infer<typeof SqlExpectedResult>

/**
 * A `query` test: the candidate's one SELECT must return `expected`.
 *
 * - `ordered`: compare row by row (true), as a multiset (false), or `'auto'`: ordered exactly
 *   when the candidate's top-level statement has an ORDER BY (Dodona's rule; a challenge build
 *   may resolve `'auto'` from the reference solution instead).
 * - `checkColumnNames`: column names must match, case-insensitively, position by position.
 * - `checkTypes`: column types must match (after `canonicalSqlType`).
 * - `setup`: the author's SQL run in the test's transaction before the candidate's statement
 *   (rows for an edge case: an empty table, a tie). Trusted, never checked, rolled back.
 */
export const SqlQueryTest = z.strictObject({
  kind: z.literal('query'),
  id: z.string().min(1).max(200),
  name: z.string().max(1_000),
  hidden: z.boolean(),
  expected: SqlExpectedResult,
  ordered: z.union([z.boolean(), z.literal('auto')]),
  checkColumnNames: z.boolean(),
  checkTypes: z.boolean(),
  setup: z
    .string()
    .max(1024 * 1024)
    .optional(),
})
export type SqlQueryTest = z.infer<typeof SqlQueryTest>

/** Every SQL test kind (one so far); discriminated by `kind`. */
export const SqlTest = z.discriminatedUnion('kind', [SqlQueryTest])
export type SqlTest = z.infer<typeof SqlTest>

/** The database a SQL challenge runs on: its schema and seed, both SQL, run once per instance. */
export const SqlDatabase = z.strictObject({
  schema: z.string().max(4 * 1024 * 1024),
  seed: z.string().max(64 * 1024 * 1024),
})
export type SqlDatabase = z.infer<typeof SqlDatabase>

/** Limits of one SQL test. Defaults: `defaultSqlLimits`. */
export const SqlLimits = z.strictObject({
  /** Wall time of one test (setup, candidate's statement, fetch), ms; past it: `timeout`. */
  timeMs: z.number().int().positive(),
  /** Most rows a result may have; beyond: `output_limit`. */
  maxRows: z.number().int().positive(),
  /** Most bytes (UTF-8 of the text forms) a result may have; beyond: `output_limit`. */
  maxBytes: z.number().int().positive(),
})
export type SqlLimits = z.infer<typeof SqlLimits>

export const defaultSqlLimits: SqlLimits = { timeMs: 5_000, maxRows: 1_000, maxBytes: 1024 * 1024 }

/** Everything the SQL engine needs for one run; plain data, so it can cross a process. */
export const SqlJob = z.strictObject({
  runId: z.string().min(1).max(200),
  /** The candidate's text: exactly one statement (a trailing `;` and comments are fine). */
  sql: z.string().max(256 * 1024),
  database: SqlDatabase,
  tests: z.array(SqlTest).max(200),
  limits: SqlLimits,
})
export type SqlJob = z.infer<typeof SqlJob>

/** A result set as the engine returns it: every cell PostgreSQL's text form, or null. */
export const SqlResultSet = z.strictObject({
  columns: z.array(SqlColumn),
  rows: z.array(z.array(z.string().nullable())),
  /** True when the result had more rows or bytes than the limits: `rows` is its beginning. */
  truncated: z.boolean(),
})
export type SqlResultSet = z.infer<typeof SqlResultSet>

/** A column whose name or type differs: 0-based position, what the test expects, what came. */
export const SqlColumnMismatch = z.strictObject({
  index: z.number().int().nonnegative(),
  expected: z.string(),
  actual: z.string(),
})
export type SqlColumnMismatch = z.infer<typeof SqlColumnMismatch>

/** A row in a diff: its 0-based position in its own result set, and its cells as compared. */
export const SqlDiffRow = z.strictObject({
  index: z.number().int().nonnegative(),
  row: z.array(z.string().nullable()),
})
export type SqlDiffRow = z.infer<typeof SqlDiffRow>

/**
 * How a result set differs from the expected one, for the UI to highlight. Row lists hold at
 * most `sqlDiffRowCap` rows; the counts say how many there were.
 */
export const SqlResultDiff = z.strictObject({
  /** Set when the number of columns differs (then names and types are compared up to the fewer). */
  columnCount: z.strictObject({ expected: z.number(), actual: z.number() }).nullable(),
  columnNames: z.array(SqlColumnMismatch),
  columnTypes: z.array(SqlColumnMismatch),
  /** Expected rows the result lacks (as a multiset: a duplicate missing once is listed once). */
  missingRows: z.array(SqlDiffRow),
  missingCount: z.number().int().nonnegative(),
  /** Rows the result has that were not expected. */
  extraRows: z.array(SqlDiffRow),
  extraCount: z.number().int().nonnegative(),
  /** Ordered tests with the right rows in another order: the first 0-based index that differs. */
  wrongOrderAt: z.number().int().nonnegative().nullable(),
})
export type SqlResultDiff = z.infer<typeof SqlResultDiff>

/** Most rows each list of a diff carries. */
export const sqlDiffRowCap = 20

/**
 * An error with the candidate's statement: PostgreSQL's (SQLSTATE `code`, e.g. `42703`
 * undefined column), a syntax error from the parser (`42601`), or a refusal of the statement
 * check (`sqlRefusedCode`). `line` and `column` are 1-based, in the candidate's text, and null
 * when PostgreSQL gave no position.
 */
export const SqlError = z.strictObject({
  code: z.string().max(5),
  message: z.string().max(16_000),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
  /** PostgreSQL's DETAIL and HINT, when it gave them. */
  detail: z.string().max(16_000).optional(),
  hint: z.string().max(16_000).optional(),
})
export type SqlError = z.infer<typeof SqlError>

/**
 * The SQLSTATE of a statement the check refused. PostgreSQL's `42501` (insufficient privilege)
 * is what a real server with a restricted role answers for most of them.
 */
export const sqlRefusedCode = '42501'

/** What a SQL test adds to its TestResult: the result set (its first rows), the diff, the error. */
export const SqlTestDetail = z.strictObject({
  actual: SqlResultSet.nullable(),
  diff: SqlResultDiff.nullable(),
  error: SqlError.nullable(),
})
export type SqlTestDetail = z.infer<typeof SqlTestDetail>

/** One SQL test's outcome: the TestResult every run panel reads, and the SQL detail beside it. */
export const SqlTestReport = z.strictObject({ result: TestResult, detail: SqlTestDetail })
export type SqlTestReport = z.infer<typeof SqlTestReport>

/** The verdict of a SQL run when the statement never ran (refused, syntax error). */
export const sqlStatementVerdict: Verdict = 'compile_error'

/** `1-based line and column` of the 0-based character `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const lines = before.split('\n')
  const last = lines[lines.length - 1] ?? ''
  return { line: lines.length, column: last.length + 1 }
}

const typeAliases: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  float: 'double precision',
  decimal: 'numeric',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
}

/**
 * A type name as compared: lower case, without a length or precision (`numeric(10,2)` and
 * `numeric` are one type, as PostgreSQL's result columns carry no typmod here), aliases resolved.
 */
export function canonicalSqlType(type: string): string {
  const bare = type
    .trim()
    .toLowerCase()
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
  return typeAliases[bare] ?? bare
}
