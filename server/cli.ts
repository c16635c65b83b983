/**
 * `npm run tandem -- <command>`: what an operator scripts. Uses the same settings (DATA_DIR,
 * CHALLENGES_DIR) as the server.
 *
 *   user create --email <e> --password <p> [--name <n>]   (or --password-stdin)
 *   token create --email <e> --name <token name>
 *   challenges check
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { SetupBody } from '../protocol/api.ts'
import { AuthService } from './auth/AuthService.ts'
import { loadChallenges } from './challenges/loadChallenges.ts'
import { loadConfig } from './config.ts'
import { parseInput, toTandemError } from './errors.ts'
import { openSqliteStore } from './store/SqliteStore.ts'

const usage = `Usage: npm run tandem -- <command>

  user create --email <email> --password <password> [--name <name>]
  user create --email <email> --password-stdin [--name <name>]
      Create an interviewer account (the first one, or any later one).
  token create --email <email> --name <token name>
      Mint an API token for automation; it is printed once.
  challenges check
      Validate every challenge folder; exits 1 when one has problems.
`

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals.join(' ')
  if (values.help === true || command === '' || command === 'help') {
    process.stdout.write(usage)
    return 0
  }
  const config = loadConfig()

  if (command === 'challenges check') {
    const { challenges, problems } = await loadChallenges(config.challengesDir)
    for (const slug of challenges.keys()) console.log(`ok       ${slug}`)
    for (const p of problems)
      console.log(`problem  ${p.file}${p.field === '' ? '' : ` (${p.field})`}: ${p.message}`)
    return problems.length === 0 ? 0 : 1
  }

  const store = openSqliteStore(config.dataDir)
  try {
    const auth = new AuthService(store)
    if (command === 'user create') {
      const password =
        values['password-stdin'] === true ? readFileSync(0, 'utf8').trimEnd() : values.password
      const body = parseInput(
        SetupBody,
        { email: values.email, password, name: values.name ?? values.email?.split('@')[0] },
        'user',
      )
      const user = await auth.createUser(body)
      console.log(`Created interviewer ${user.email} (${user.id}).`)
      return 0
    }
    if (command === 'token create') {
      const user =
        values.email === undefined ? null : await store.users.byEmail(values.email.toLowerCase())
      if (user === null) throw new Error('No interviewer with that --email.')
      if (values.name === undefined || values.name.trim() === '')
        throw new Error('Give the token a --name.')
      const token = await auth.createApiToken(user.id, values.name.trim())
      console.log(token.token)
      return 0
    }
    process.stderr.write(`Unknown command "${command}".\n\n${usage}`)
    return 2
  } finally {
    await store.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const tandemError = toTandemError(error)
    const message =
      tandemError.code === 'internal' && error instanceof Error
        ? error.message
        : tandemError.message
    process.stderr.write(`tandem: ${message}\n`)
    for (const issue of tandemError.issues ?? [])
      process.stderr.write(`  ${issue.path}: ${issue.message}\n`)
    process.exitCode = 1
  },
)
