import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the typescript module is written.
export const typescript: LanguageModule = {
  id: 'typescript',
  starter: () => '',
}
