/**
 * `npm run tandem -- <command>`: what an operator scripts. Uses the same settings (DATA_DIR,
 * CHALLENGES_DIR) as the server.
 *
 *   user create --email <e> --password <p> [--name <n>]   (or --password-stdin)
 *   token create --email <e> --name <token name>
 *   challenges check [slug…] [--quick]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { SetupBody } from '../protocol/api.ts'
import { AuthService } from './auth/AuthService.ts'
import {
  caseExpectations,
  caseHolds,
  checkCases,
  describeFailures,
  runChallengeSource,
} from './challenges/checkChallenge.ts'
import { loadChallenges } from './challenges/loadChallenges.ts'
import { loadConfig } from './config.ts'
import { parseInput, toTandemError } from './errors.ts'
import { LocalRunner } from './runner/LocalRunner.ts'
import { openSqliteStore } from './store/SqliteStore.ts'

const usage = `Usage: npm run tandem -- <command>

  user create --email <email> --password <password> [--name <name>]
  user create --email <email> --password-stdin [--name <name>]
      Create an interviewer account (the first one, or any later one).
  token create --email <email> --name <token name>
      Mint an API token for automation; it is printed once.
  challenges check [slug…] [--quick]
      Validate challenge folders, then run every reference solution (it must pass every test),
      every author starter (it must fail a visible test) and every known-bad solution in bad/
      (it must compile and fail a test) in the real sandbox, in every language. --quick only
      validates the files. Exits 1 when anything is wrong.
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
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals.slice(0, 2).join(' ')
  if (values.help === true || command === '' || command === 'help') {
    process.stdout.write(usage)
    return 0
  }
  const config = loadConfig()

  if (positionals[0] === 'challenges' && positionals[1] === 'check') {
    return checkChallenges(config.challengesDir, positionals.slice(2), values.quick === true)
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

/** Validates challenge folders and runs their sources through the real sandbox; 0 when all hold. */
async function checkChallenges(dir: string, slugs: string[], quick: boolean): Promise<number> {
  const { challenges, problems } = await loadChallenges(dir)
  const chosen = [...challenges.values()].filter(
    (c) => slugs.length === 0 || slugs.includes(c.slug),
  )
  let failed = problems.length
  for (const p of problems)
    console.log(`problem  ${p.file}${p.field === '' ? '' : ` (${p.field})`}: ${p.message}`)
  for (const slug of slugs) {
    if (!challenges.has(slug) && !problems.some((p) => p.file.startsWith(`${slug}/`))) {
      console.log(`problem  ${slug}: no such challenge folder`)
      failed++
    }
  }
  if (quick) {
    // The version is what interviews created from these files will pin (docs/CHALLENGES.md).
    for (const challenge of chosen)
      console.log(`ok       ${challenge.slug} (files valid, version ${challenge.version})`)
    return failed === 0 ? 0 : 1
  }
  const runner = new LocalRunner({})
  try {
    const languages = await runner.languages()
    const outcomes = checkCases(chosen).map(async (check) => {
      const language = languages.find((l) => l.id === check.language)
      const kind = check.kind === 'bad' ? `known-bad "${check.name ?? ''}"` : check.kind
      const what = `${check.slug} ${kind} in ${language?.name ?? check.language}`
      try {
        if (language === undefined) throw new Error('not offered by this sandbox')
        const outcome = await runChallengeSource(runner, {
          challenge: check.challenge,
          language,
          source: check.source,
        })
        if (caseHolds(check.kind, outcome)) return `ok       ${what}: ${outcome.summary.message}`
        failed++
        return `problem  ${what} ${caseExpectations[check.kind]}:\n${describeFailures(outcome).replace(/^/gm, '         ')}`
      } catch (error) {
        failed++
        return `problem  ${what}: ${error instanceof Error ? error.message : String(error)}`
      }
    })
    for (const line of await Promise.all(outcomes)) console.log(line)
  } finally {
    await runner.close()
  }
  return failed === 0 ? 0 : 1
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
