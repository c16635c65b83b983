import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the javascript module is written.
export const javascript: LanguageModule = {
  id: 'javascript',
  starter: () => '',
}
