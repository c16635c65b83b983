/** The function kind, web side. */
import type { WebKind } from '../WebKind.ts'
import { FunctionCustomInput } from './CustomInput.tsx'

export const functionKind: WebKind = {
  labels: { input: 'input', expected: 'output' },
  CustomInput: FunctionCustomInput,
}
