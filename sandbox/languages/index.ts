/**
 * Every language Tandem knows, by id: one folder each, registered here once. Both engines read
 * this registry (the box engine its specs, the isolate engine its limits), and so does the
 * sandbox's public face (starters). Adding a language: a folder with an index.ts and, for a
 * process language, a spec.ts and its harness; then its id in protocol/languages.ts.
 */
import type { LanguageId, LanguageLimits } from '../../protocol/languages.ts'
import type { BoxLanguageSpec } from '../box/LanguageSpec.ts'
import { cpp } from './cpp/index.ts'
import { go } from './go/index.ts'
import { java } from './java/index.ts'
import { javascript } from './javascript/index.ts'
import type { LanguageModule } from './LanguageModule.ts'
import { python } from './python/index.ts'
import { typescript } from './typescript/index.ts'

export const languageModules: Record<LanguageId, LanguageModule> = {
  javascript,
  typescript,
  python,
  java,
  cpp,
  go,
}

/** The bubblewrap specs of every process language, in registry order. */
export const boxSpecs: readonly BoxLanguageSpec[] = Object.values(languageModules).flatMap(
  (module) => (module.engine.kind === 'box' ? [module.engine.spec] : []),
)

/** Default limits of one test in `id`, whichever engine runs it. */
export function defaultLimits(id: LanguageId): LanguageLimits {
  const { engine } = languageModules[id]
  return engine.kind === 'box' ? engine.spec.limits : engine.limits
}
