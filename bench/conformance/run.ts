/**
 * `npm run conformance [-- --lang python,js --dataset humaneval-x --limit N --sample]`
 *
 * Runs HumanEval, HumanEval-X and MultiPL-E programs (known-good and mutants) through a real
 * LocalRunner, prints pass and kill rates per dataset × language, and writes the outcomes to
 * bench/results/conformance.json (a full run) or conformance-partial.json (a filtered one).
 * Exits 1 when a known-good program that is not excluded fails, a mutant survives that
 * knownSurvivors.ts does not explain, the sandbox fails, or (with --compare-outside) the sandbox
 * and the plain toolchain disagree.
 * See docs/CONFORMANCE.md.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { LanguageIds, type LanguageId, type LanguageLimits } from '../../protocol/languages.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { machineInfo } from '../lib/machineInfo.ts'
import { buildCases, sampleSize } from './buildCases.ts'
import { datasets } from './ConformanceCase.ts'
import { knownSurvivor } from './knownSurvivors.ts'
import { conformanceDataDir } from './loadRows.ts'
import { runConformance, type ProgramOutcome } from './runConformance.ts'
import { formatOutcome, formatTables, summarize } from './summarize.ts'

/** Short names people type for languages. */
const aliases: Record<string, LanguageId> = {
  js: 'javascript',
  ts: 'typescript',
  py: 'python',
  'c++': 'cpp',
  golang: 'go',
}

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').map((item) => item.trim().toLowerCase()))
    .pipe(z.array(z.enum(values)))

const ArgsSchema = z.object({
  lang: z
    .string()
    .transform((text) =>
      text.split(',').map((item) => aliases[item.trim().toLowerCase()] ?? item.trim()),
    )
    .pipe(z.array(z.enum(LanguageIds)))
    .optional(),
  dataset: list(datasets).optional(),
  limit: z.coerce.number().int().positive().optional(),
  sample: z.boolean().optional(),
  concurrency: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  data: z.string().default(conformanceDataDir()),
  out: z.string().optional(),
  verbose: z.boolean().optional(),
  'compare-outside': z.boolean().optional(),
})

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      lang: { type: 'string' },
      dataset: { type: 'string' },
      limit: { type: 'string' },
      sample: { type: 'boolean' },
      concurrency: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      verbose: { type: 'boolean' },
      'compare-outside': { type: 'boolean' },
    },
  })
  const args = ArgsSchema.parse(values)
  const partial =
    args.lang !== undefined ||
    args.dataset !== undefined ||
    args.limit !== undefined ||
    args.sample === true
  const out =
    args.out ??
    path.join(
      import.meta.dirname,
      '..',
      'results',
      partial ? 'conformance-partial.json' : 'conformance.json',
    )

  const cases = await buildCases({
    dataDir: args.data,
    languages: args.lang,
    datasets: args.dataset,
    limit: args.limit,
    sample: args.sample === true ? sampleSize : undefined,
  })
  const programs = cases.reduce((sum, c) => sum + c.programs.length, 0)
  const machine = machineInfo()
  const startedAt = new Date()
  console.log(
    `Conformance: ${cases.length} rows, ${programs} programs, concurrency ${args.concurrency}`,
  )

  const runner = new LocalRunner({ concurrency: args.concurrency })
  try {
    const languages = await runner.languages()
    const unavailable = languages.filter(
      (l) => !l.available && cases.some((c) => c.language === l.id),
    )
    for (const language of unavailable) {
      console.error(`${language.id} is unavailable: ${language.reason ?? 'no reason given'}`)
    }
    if (unavailable.length > 0) return 1
    const limits = Object.fromEntries(languages.map((l) => [l.id, l.limits])) as Record<
      LanguageId,
      LanguageLimits
    >

    let done = 0
    const outcomes = await runConformance({
      runner,
      cases,
      concurrency: args.concurrency,
      limits,
      compareOutside: args['compare-outside'],
      onOutcome: (outcome) => {
        done++
        if (args.verbose === true && isNoteworthy(outcome)) console.log(formatOutcome(outcome))
        if (done % 100 === 0 || done === programs) console.error(`  ${done}/${programs}`)
      },
    })
    const summary = summarize(outcomes)
    const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000)

    console.log(`\n${formatTables(summary)}\n`)
    printList('Known-good programs that failed (not excluded)', summary.canonicalFailures)
    printList('Excluded rows (known-good outcome)', summary.excludedOutcomes)
    printList('Surviving mutants', summary.survivors, (o) => knownSurvivor(o) ?? 'NEW')
    printList('Stillborn mutants (did not compile)', summary.stillborn)
    printList('Sandbox failures (internal_error)', summary.internalErrors)
    if (summary.comparedOutside > 0) {
      console.log(
        `Outside the sandbox: ${summary.comparedOutside} programs re-run with the plain toolchains, ` +
          `${summary.disagreements.length} judged differently.`,
      )
      printList('Sandbox and plain toolchain disagree', summary.disagreements)
    }
    console.log(`${programs} programs in ${seconds} s`)

    await mkdir(path.dirname(out), { recursive: true })
    const { suites: suiteTable, languages: languageTable, comparedOutside } = summary
    const result = {
      command: `npm run conformance -- ${process.argv.slice(2).join(' ')}`.trim(),
      startedAt: startedAt.toISOString(),
      seconds,
      machine,
      languages: languages.map(({ id, version, limits: languageLimits }) => ({
        id,
        version,
        limits: languageLimits,
      })),
      programs: outcomes.length,
      comparedOutside,
      suites: suiteTable,
      mutantsByLanguage: languageTable,
      // Only what a reader must look at; every other program did what it should.
      canonicalFailures: summary.canonicalFailures.map(brief),
      excluded: summary.excludedOutcomes.map((o) => ({ ...brief(o), reason: o.excluded })),
      survivors: summary.survivors.map((o) => ({ ...brief(o), reason: knownSurvivor(o) ?? 'NEW' })),
      stillborn: summary.stillborn.map(brief),
      internalErrors: summary.internalErrors.map(brief),
      disagreements: summary.disagreements.map(brief),
    }
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
    console.log(`Wrote ${path.relative(process.cwd(), out)}`)
    const failed =
      summary.canonicalFailures.length +
      summary.internalErrors.length +
      summary.newSurvivors.length +
      summary.disagreements.length
    return failed > 0 ? 1 : 0
  } finally {
    await runner.close()
  }
}

/** Worth printing as it happens: not what it should be, or judged otherwise outside the sandbox. */
function isNoteworthy(outcome: ProgramOutcome): boolean {
  const passed = outcome.verdict === 'passed'
  const unexpected =
    outcome.kind === 'canonical'
      ? !passed
      : passed || outcome.failure === 'compile' || outcome.failure === 'internal'
  return unexpected || (outcome.outside !== undefined && outcome.outside.passed !== passed)
}

function printList(
  title: string,
  outcomes: readonly ProgramOutcome[],
  why?: (outcome: ProgramOutcome) => string,
): void {
  if (outcomes.length === 0) return
  console.log(`${title} (${outcomes.length}):`)
  for (const outcome of outcomes) {
    console.log(`  ${formatOutcome(outcome)}${why === undefined ? '' : `\n      ${why(outcome)}`}`)
  }
  console.log('')
}

/** An outcome in one line per field: its first line of detail, and the outside verdict. */
function brief(outcome: ProgramOutcome): Record<string, string> {
  const firstLine = (text: string | undefined): string => text?.split('\n')[0] ?? ''
  return {
    suite: `${outcome.dataset} ${outcome.language}`,
    id: outcome.id,
    kind: outcome.kind,
    ...(outcome.note === undefined ? {} : { note: outcome.note }),
    verdict: outcome.verdict,
    ...(outcome.detail === undefined ? {} : { detail: firstLine(outcome.detail) }),
    ...(outcome.outside === undefined
      ? {}
      : {
          outside: outcome.outside.passed
            ? 'passed'
            : `failed: ${firstLine(outcome.outside.detail)}`,
        }),
  }
}

process.exitCode = await main()
