/**
 * SQL challenges on a configured PostgreSQL server (issue 10, "Configured"): where PGlite is an
 * engine in a worker, this is a real server reached at `url` by a role that may create databases
 * and roles (CREATEDB, CREATEROLE). Unlike PGlite, the server itself is the boundary:
 *
 * - **A template per database** (schema + seed + ANALYZE), made once per content hash, marked
 *   `IS_TEMPLATE` with connections off, so nothing can change it after.
 * - **A database and a login role per run**, cloned with `STRATEGY WAL_LOG` (no checkpoint) and
 *   dropped afterwards. The role is no superuser, cannot create databases or roles, inherits
 *   nothing, may connect to its own database only (CONNECT is revoked from PUBLIC there), reads
 *   the tables (`SELECT`, for query tests) and writes nothing, with `statement_timeout` and
 *   `work_mem` set on the role (`temp_file_limit` needs a superuser to set; an operator may set
 *   it server-wide). Its session user *is* that role, so `RESET
 *   ROLE` leaves it there, and `pg_read_file`, `COPY … TO PROGRAM` and the like are refused by the
 *   server (permission denied), whatever the statement check let through.
 * - **Each test in a transaction that is rolled back.** The author's `setup` runs first in it,
 *   through a `SECURITY DEFINER` function made for the run (the role cannot write, the author
 *   can); the candidate's statement is read through a cursor, so only the first `maxRows + 1`
 *   rows ever cross the wire.
 * - **A host watchdog** beside statement_timeout: past `timeMs` the backend is cancelled
 *   (`pg_cancel_backend`) and the run's connection dropped.
 *
 * Expected rows never enter the database: the host compares what comes back.
 */
import { createHash, randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  lineAndColumn,
  type SqlColumn,
  type SqlDatabase,
  type SqlError,
  type SqlLimits,
  type SqlResultSet,
} from '../../../protocol/sql.ts'

/** What one test's statement came to. */
export type PostgresOutcome =
  { kind: 'rows'; result: SqlResultSet } | { kind: 'error'; error: SqlError } | { kind: 'timeout' }

export interface PostgresSqlOptions {
  /** `postgres://user:password@host:port/db` of a role with CREATEDB and CREATEROLE. */
  url: string
  /** Prefix of every database and role this server makes, so an operator can tell them apart. */
  prefix?: string
}

/** What a cursor is declared as; an error position in it is moved back by its length. */
const cursorPrefix = 'DECLARE tandem_result NO SCROLL CURSOR FOR '

/** Raw text for every type: values are compared as PostgreSQL prints them. */
const textTypes = { getTypeParser: () => (value: string) => value }

export class PostgresSqlServer {
  readonly #url: URL
  readonly #prefix: string
  readonly #admin: pg.Pool
  /** Templates made or being made, by content hash. */
  readonly #templates = new Map<string, Promise<string>>()
  readonly #runs = new Set<PostgresRun>()

  constructor(options: PostgresSqlOptions) {
    this.#url = new URL(options.url)
    this.#prefix = options.prefix ?? 'tandem'
    this.#admin = new pg.Pool({ connectionString: options.url, max: 4 })
    // An idle admin connection the server closes must not take the sandbox process with it.
    this.#admin.on('error', () => undefined)
  }

  /** The server's version, e.g. `PostgreSQL 15.18`. */
  async version(): Promise<string> {
    const { rows } = await this.#admin.query<{ v: string }>(
      "SELECT current_setting('server_version') AS v",
    )
    return `PostgreSQL ${rows[0]?.v.split(' ')[0] ?? ''}`
  }

  /** The template database of `database`, made once per content (schema, seed, ANALYZE). */
  template(database: SqlDatabase): Promise<string> {
    const hash = createHash('sha256')
      .update(database.schema)
      .update('\0')
      .update(database.seed)
      .digest('hex')
      .slice(0, 16)
    let made = this.#templates.get(hash)
    if (made === undefined) {
      made = this.#makeTemplate(`${this.#prefix}_tmpl_${hash}`, database)
      made.catch(() => this.#templates.delete(hash))
      this.#templates.set(hash, made)
    }
    return made
  }

  async #makeTemplate(name: string, database: SqlDatabase): Promise<string> {
    const exists = await this.#admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    // Made by an earlier process: a template is only marked one once it is complete.
    const complete = await this.#admin.query(
      'SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate',
      [name],
    )
    if (complete.rowCount === 1) return name
    if (exists.rowCount === 1) await this.#admin.query(`DROP DATABASE ${ident(name)} WITH (FORCE)`)
    await this.#admin.query(`CREATE DATABASE ${ident(name)}`)
    const client = new pg.Client({ connectionString: this.#urlFor(name) })
    client.on('error', () => undefined)
    await client.connect()
    try {
      await client.query(database.schema)
      await client.query(database.seed)
      await client.query('ANALYZE')
      // Nothing but the owner may read it, and no run may connect to it.
      await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC')
    } finally {
      await client.end()
    }
    await this.#admin.query(
      `ALTER DATABASE ${ident(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
    )
    await this.#admin.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`)
    return name
  }

  /** A fresh database cloned from the template of `database`, and a role that may read it. */
  async openRun(database: SqlDatabase, limits: SqlLimits): Promise<PostgresRun> {
    const template = await this.template(database)
    const id = randomBytes(6).toString('hex')
    const name = `${this.#prefix}_run_${id}`
    const password = randomBytes(18).toString('base64url')
    await this.#admin.query(
      `CREATE ROLE ${ident(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT ` +
        `NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 2 PASSWORD ${literal(password)}`,
    )
    try {
      await this.#admin.query(
        `CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)} STRATEGY WAL_LOG`,
      )
      await this.#admin.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`)
      await this.#admin.query(`GRANT CONNECT ON DATABASE ${ident(name)} TO ${ident(name)}`)
      const seconds = Math.max(1, Math.ceil(limits.timeMs / 1000))
      await this.#admin.query(
        `ALTER ROLE ${ident(name)} SET statement_timeout = ${literal(`${String(seconds)}s`)}`,
      )
      await this.#admin.query(`ALTER ROLE ${ident(name)} SET work_mem = '8MB'`)
      const owner = new pg.Client({ connectionString: this.#urlFor(name) })
      owner.on('error', () => undefined)
      await owner.connect()
      try {
        await owner.query(`GRANT USAGE ON SCHEMA public TO ${ident(name)}`)
        await owner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ident(name)}`)
        await owner.query(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${ident(name)}`)
      } finally {
        await owner.end()
      }
    } catch (error) {
      await this.#drop(name)
      throw error
    }
    const run = new PostgresRun({
      server: this,
      name,
      url: this.#urlFor(name, { user: name, password }),
      limits,
    })
    this.#runs.add(run)
    return run
  }

  /**
   * Makes the author's setup SQL a function the run's role may call: it runs with the owner's
   * rights, inside the test's transaction, and is rolled back with it.
   */
  async defineSetup(run: PostgresRun, setup: string): Promise<string> {
    const fn = `tandem_setup_${randomBytes(6).toString('hex')}`
    const tag = `tandem_${randomBytes(6).toString('hex')}`
    const owner = new pg.Client({ connectionString: this.#urlFor(run.name) })
    owner.on('error', () => undefined)
    await owner.connect()
    try {
      await owner.query(
        `CREATE FUNCTION public.${fn}() RETURNS void LANGUAGE sql SECURITY DEFINER ` +
          `SET search_path = public AS $${tag}$${setup}$${tag}$`,
      )
      await owner.query(`REVOKE ALL ON FUNCTION public.${fn}() FROM PUBLIC`)
      await owner.query(`GRANT EXECUTE ON FUNCTION public.${fn}() TO ${ident(run.name)}`)
    } finally {
      await owner.end()
    }
    return fn
  }

  /** Cancels the backend of a statement past its time (the watchdog beside statement_timeout). */
  async cancel(pid: number): Promise<void> {
    await this.#admin.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
  }

  /** Drops a run's database and role; called by PostgresRun.close. */
  async release(run: PostgresRun): Promise<void> {
    this.#runs.delete(run)
    await this.#drop(run.name)
  }

  async #drop(name: string): Promise<void> {
    await this.#admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)
    await this.#admin.query(`DROP ROLE IF EXISTS ${ident(name)}`)
  }

  /** Drops the templates this server made (tests; an operator keeps them between starts). */
  async dropTemplates(): Promise<void> {
    const names = await Promise.all(
      [...this.#templates.values()].map((made) => made.catch(() => null)),
    )
    this.#templates.clear()
    for (const name of names) {
      if (name === null) continue
      await this.#admin.query(`ALTER DATABASE ${ident(name)} WITH IS_TEMPLATE false`)
      await this.#admin.query(`DROP DATABASE IF EXISTS ${ident(name)}`)
    }
  }

  /** Closes every run still open (dropping what it made), then the admin pool. */
  async close(): Promise<void> {
    await Promise.all([...this.#runs].map((run) => run.close()))
    await this.#admin.end()
  }

  #urlFor(database: string, login?: { user: string; password: string }): string {
    const url = new URL(this.#url)
    url.pathname = `/${database}`
    if (login !== undefined) {
      url.username = login.user
      url.password = login.password
    }
    return url.toString()
  }
}

/** One run's database, reached as its own role: one connection, one test at a time. */
export class PostgresRun {
  readonly name: string
  readonly #server: PostgresSqlServer
  readonly #url: string
  readonly #limits: SqlLimits
  #client: pg.Client | undefined
  #closed = false

  constructor(o: { server: PostgresSqlServer; name: string; url: string; limits: SqlLimits }) {
    this.#server = o.server
    this.name = o.name
    this.#url = o.url
    this.#limits = o.limits
  }

  /**
   * Runs `sql` (one statement the check allowed) in a transaction that is rolled back, after the
   * author's `setup`, and returns its first rows, its error, or `timeout`.
   */
  async query(sql: string, setup?: string): Promise<PostgresOutcome> {
    const setupFn = setup === undefined ? undefined : await this.#server.defineSetup(this, setup)
    const client = await this.#connection()
    const pid = (client as unknown as { processID: number | null }).processID
    const watch = { timedOut: false }
    const watchdog = setTimeout(() => {
      watch.timedOut = true
      if (pid !== null) void this.#server.cancel(pid)
    }, this.#limits.timeMs)
    try {
      await client.query('BEGIN')
      if (setupFn !== undefined) await client.query(`SELECT public.${setupFn}()`)
      await client.query(`${cursorPrefix}${stripTrailingSemicolon(sql)}`)
      const fetched = await client.query({
        text: `FETCH ${String(this.#limits.maxRows + 1)} FROM tandem_result`,
        rowMode: 'array',
        types: textTypes,
      })
      const columns = await columnsOf(client, fetched.fields)
      return {
        kind: 'rows',
        result: resultSet(columns, fetched.rows as (string | null)[][], this.#limits),
      }
    } catch (error) {
      if (watch.timedOut || isTimeout(error)) return { kind: 'timeout' }
      if (isPgError(error)) return { kind: 'error', error: sqlErrorOf(error, sql) }
      throw error
    } finally {
      clearTimeout(watchdog)
      await client.query('ROLLBACK').catch(() => this.#dropConnection())
    }
  }

  async #connection(): Promise<pg.Client> {
    if (this.#closed) throw new Error('this run is closed')
    if (this.#client !== undefined) return this.#client
    const client = new pg.Client({ connectionString: this.#url })
    client.on('error', () => this.#dropConnection())
    await client.connect()
    this.#client = client
    return client
  }

  #dropConnection(): void {
    const client = this.#client
    this.#client = undefined
    void client?.end().catch(() => undefined)
  }

  /**
   * How the run's role connects to its database (a URL with its password): for a program that
   * talks to the database itself, and for tests that act as the role.
   */
  loginUrl(): string {
    return this.#url
  }

  /** Closes the connection and drops the run's database and role. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#client?.end().catch(() => undefined)
    this.#client = undefined
    await this.#server.release(this)
  }
}

/** Result columns with PostgreSQL's names for their types (`format_type`). */
async function columnsOf(client: pg.Client, fields: pg.FieldDef[]): Promise<SqlColumn[]> {
  if (fields.length === 0) return []
  const { rows } = await client.query<{ t: string }>(
    `SELECT format_type(o, m) AS t FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS f(o, m, i) ORDER BY i`,
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  )
  return fields.map((field, i) => ({ name: field.name, type: rows[i]?.t ?? 'unknown' }))
}

/** The first rows within the limits; `truncated` when there were more rows or bytes. */
function resultSet(
  columns: SqlColumn[],
  raw: (string | null)[][],
  limits: SqlLimits,
): SqlResultSet {
  const rows: (string | null)[][] = []
  let bytes = 0
  for (const row of raw.slice(0, limits.maxRows)) {
    const cells = [...row]
    bytes += cells.reduce((sum, cell) => sum + (cell === null ? 0 : Buffer.byteLength(cell)), 0)
    if (bytes > limits.maxBytes) return { columns, rows, truncated: true }
    rows.push(cells)
  }
  return { columns, rows, truncated: raw.length > limits.maxRows }
}

interface PgError {
  code: string
  message: string
  position?: string
  detail?: string
  hint?: string
}

function isPgError(error: unknown): error is PgError {
  return error instanceof Error && typeof (error as Partial<PgError>).code === 'string'
}

/** statement_timeout (57014, query_canceled) is the server saying the same as the watchdog. */
function isTimeout(error: unknown): boolean {
  return isPgError(error) && error.code === '57014'
}

/** PostgreSQL's error, its position moved from the cursor's text back to the candidate's. */
function sqlErrorOf(error: PgError, sql: string): SqlError {
  const at = error.position === undefined ? Number.NaN : Number(error.position) - 1
  const offset = at - cursorPrefix.length
  const where = Number.isFinite(offset) && offset >= 0 ? lineAndColumn(sql, offset) : undefined
  return {
    code: error.code,
    message: error.message,
    line: where?.line ?? null,
    column: where?.column ?? null,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  }
}

/** A cursor takes a statement without its `;` (and the comments after it). */
function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;(?:\s|--[^\n]*)*$/, '')
}

/** A quoted identifier (our own names: prefix, hex). */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A quoted literal. */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
