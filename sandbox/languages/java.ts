import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the java module is written.
export const java: LanguageModule = {
  id: 'java',
  starter: () => '',
}
