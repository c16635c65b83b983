import type { LanguageModule } from './LanguageModule.ts'

// Placeholder until the cpp module is written.
export const cpp: LanguageModule = {
  id: 'cpp',
  starter: () => '',
}
