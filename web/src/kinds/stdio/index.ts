/** The stdio kind, web side. */
import type { WebKind } from '../WebKind.ts'
import { StdioCustomInput } from './CustomInput.tsx'

export const stdioKind: WebKind = {
  labels: { input: 'stdin', expected: 'stdout' },
  CustomInput: StdioCustomInput,
}
