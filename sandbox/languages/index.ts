/** Every language Tandem knows, by id. Adding a language: a module here plus its engine support. */
import type { LanguageId } from '../../protocol/languages.ts'
import { cpp } from './cpp.ts'
import { go } from './go.ts'
import { java } from './java.ts'
import { javascript } from './javascript.ts'
import type { LanguageModule } from './LanguageModule.ts'
import { python } from './python.ts'
import { typescript } from './typescript.ts'

export const languageModules: Record<LanguageId, LanguageModule> = {
  javascript,
  typescript,
  python,
  java,
  cpp,
  go,
}
