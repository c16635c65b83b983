import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the python module is written.
export const python: LanguageModule = {
  id: 'python',
  starter: () => '',
}
