import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the go module is written.
export const go: LanguageModule = {
  id: 'go',
  starter: () => '',
}
