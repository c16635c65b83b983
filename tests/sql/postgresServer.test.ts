/**
 * SQL challenges on a real PostgreSQL server (issue 10, "Configured"): a template per seed, a
 * database and a login role per run, each test rolled back. The server is the boundary here, so
 * these statements are sent as they are, with no statement check in front — what stops each is
 * PostgreSQL itself (permission denied, statement_timeout) or the host's cursor and watchdog.
 *
 * Needs a PostgreSQL at TEST_POSTGRES_URL (a role with CREATEDB and CREATEROLE); `.ci/run` starts
 * Debian's on 127.0.0.1 and sets it.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSqlLimits, type SqlDatabase, type SqlLimits } from '../../protocol/sql.ts'
import {
  PostgresSqlServer,
  type PostgresOutcome,
  type PostgresRun,
} from '../../sandbox/sql/postgres/PostgresSqlServer.ts'

const url =
  process.env.TEST_POSTGRES_URL ?? 'postgres://tandem_ci:tandem_ci@127.0.0.1:5432/postgres'

const shop: SqlDatabase = {
  schema: `
    CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, city text NOT NULL);
    CREATE TABLE orders (
      id int PRIMARY KEY,
      customer_id int NOT NULL REFERENCES customers (id),
      total numeric(10, 2) NOT NULL
    );`,
  seed: `
    INSERT INTO customers VALUES (1, 'Ada', 'London'), (2, 'Grace', 'New York'), (3, 'Edsger', 'Austin');
    INSERT INTO orders VALUES (10, 1, 12.50), (11, 1, 7.50), (12, 2, 99.00);`,
}

const limits: SqlLimits = { ...defaultSqlLimits, timeMs: 2_000, maxRows: 100 }

let server: PostgresSqlServer
let run: PostgresRun

beforeAll(async () => {
  const probe = new pg.Client({ connectionString: url })
  try {
    await probe.connect()
    await probe.end()
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL at ${url} (${String(error)}): set TEST_POSTGRES_URL to a role ` +
        'with CREATEDB and CREATEROLE; .ci/run starts one on 127.0.0.1.',
      { cause: error },
    )
  }
  server = new PostgresSqlServer({ url, prefix: `tandem_test_${process.pid}` })
  run = await server.openRun(shop, limits)
}, 60_000)

afterAll(async () => {
  await run.close()
  await server.dropTemplates()
  await server.close()
})

function rows(outcome: PostgresOutcome): (string | null)[][] {
  if (outcome.kind !== 'rows') throw new Error(`expected rows, got ${JSON.stringify(outcome)}`)
  return outcome.result.rows
}

describe('a query on PostgreSQL', () => {
  it('returns the rows as PostgreSQL prints them, with its names for the column types', async () => {
    const outcome = await run.query(
      'SELECT c.name, sum(o.total) AS spent, count(*) AS n\nFROM customers c JOIN orders o ON o.customer_id = c.id\nGROUP BY c.name ORDER BY c.name;',
    )
    expect(outcome).toEqual({
      kind: 'rows',
      result: {
        columns: [
          { name: 'name', type: 'text' },
          { name: 'spent', type: 'numeric' },
          { name: 'n', type: 'bigint' },
        ],
        rows: [
          ['Ada', '20.00', '2'],
          ['Grace', '99.00', '1'],
        ],
        truncated: false,
      },
    })
    expect(await server.version()).toMatch(/^PostgreSQL \d+/)
  })

  it('reports an error with its SQLSTATE and the line and column in the candidate’s text', async () => {
    const outcome = await run.query('SELECT name,\n       nope\nFROM customers')
    expect(outcome).toMatchObject({
      kind: 'error',
      error: { code: '42703', message: 'column "nope" does not exist', line: 2, column: 8 },
    })
  })

  it('runs the author’s setup in the test’s transaction, and rolls both back', async () => {
    const setup = "INSERT INTO customers VALUES (4, 'Barbara', 'Boston')"
    expect(rows(await run.query('SELECT count(*) FROM customers', setup))).toEqual([['4']])
    expect(rows(await run.query('SELECT count(*) FROM customers'))).toEqual([['3']])
  })

  it('reads only the first rows of a huge result through its cursor: a million-row cross join comes back at once, truncated', async () => {
    const outcome = await run.query(
      'SELECT a.g, b.g FROM generate_series(1, 1000) a(g) CROSS JOIN generate_series(1, 1000) b(g)',
    )
    expect(outcome.kind === 'rows' && outcome.result).toMatchObject({ truncated: true })
    expect(rows(outcome)).toHaveLength(limits.maxRows)
  })
})

describe('what the run’s role cannot do, because PostgreSQL refuses it', () => {
  // Each sent as it is, with no statement check in front: the role's own rights stop it, and
  // the next test's query still runs on the same connection.
  it.each([
    ['reading a server file', "SELECT pg_read_file('/etc/passwd')"],
    ['running a program through COPY', "COPY customers TO PROGRAM 'id'"],
    ['reading a server file through COPY', "COPY customers FROM '/etc/passwd'"],
    ['dropping a table', 'DROP TABLE orders'],
    ['emptying a table', 'TRUNCATE customers'],
    ['changing the server', "ALTER SYSTEM SET work_mem = '1GB'"],
    ['becoming the admin', 'SET ROLE tandem'],
    ['loading a library', "LOAD 'auto_explain'"],
    ['installing an extension', 'CREATE EXTENSION pgcrypto'],
    ['writing a row', "INSERT INTO customers VALUES (9, 'Eve', 'Nowhere')"],
    ['committing to escape the rollback', 'COMMIT'],
  ])('refuses %s, and nothing changed', async (_what, statement) => {
    // Through the run's cursor a statement that is not a query is a syntax error (it never ran);
    // a query that tries (pg_read_file) is refused by the server. The next test sends the others
    // straight on the role's own connection.
    expect((await run.query(statement)).kind).toBe('error')
    expect(
      rows(
        await run.query('SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)'),
      ),
    ).toEqual([['3', '3']])
  })

  it('refuses a statement that is not a query even sent straight on the role’s own connection', async () => {
    // Without the cursor: the role itself, connected as the run would be, tries the worst.
    const client = await ownConnection(run)
    try {
      for (const statement of [
        "COPY customers TO PROGRAM 'id'",
        'DROP TABLE orders',
        "ALTER SYSTEM SET work_mem = '1GB'",
        'CREATE TABLE loot (x int)',
        'RESET ROLE; DROP TABLE orders',
      ]) {
        await expect(client.query(statement), statement).rejects.toMatchObject({ code: '42501' })
      }
      await client.query('RESET ROLE')
      const who = await client.query<{ u: string; s: boolean }>(
        'SELECT session_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS s',
      )
      expect(who.rows[0]).toEqual({ u: run.name, s: false })
    } finally {
      await client.end()
    }
  })

  it('stops pg_sleep(100) at the time limit, and the next query runs', async () => {
    expect(await run.query('SELECT pg_sleep(100)')).toEqual({ kind: 'timeout' })
    expect(rows(await run.query('SELECT 1 AS one'))).toEqual([['1']])
  }, 30_000)

  it('stops a count over a billion rows at the time limit', async () => {
    expect(await run.query('SELECT count(*) FROM generate_series(1, 1000000000)')).toEqual({
      kind: 'timeout',
    })
    expect(rows(await run.query('SELECT count(*) FROM orders'))).toEqual([['3']])
  }, 30_000)

  it('cannot connect to another run’s database, or to the template', async () => {
    const other = await server.openRun(shop, limits)
    try {
      const client = await ownConnection(run, other.name)
      await client.end()
      throw new Error('connected to another run’s database')
    } catch (error) {
      expect(String(error)).toMatch(/permission denied for database|not allowed to connect/)
    } finally {
      await other.close()
    }
  })
})

describe('a run', () => {
  it('drops its database and role when it closes', async () => {
    const extra = await server.openRun(shop, limits)
    const name = extra.name
    await extra.close()
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const left = await admin.query(
        'SELECT (SELECT count(*) FROM pg_database WHERE datname = $1)::int AS dbs, (SELECT count(*) FROM pg_roles WHERE rolname = $1)::int AS roles',
        [name],
      )
      expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 })
    } finally {
      await admin.end()
    }
  })
})

/** A connection as the run's role, as the run itself connects (to its own database by default). */
async function ownConnection(target: PostgresRun, database = target.name): Promise<pg.Client> {
  const login = new URL(target.loginUrl())
  login.pathname = `/${database}`
  const client = new pg.Client({ connectionString: login.toString() })
  await client.connect()
  return client
}
