/**
 * Run the code on an input of one's own, in the form the challenge's kind gives it
 * (web/src/kinds/<kind>/CustomInput.tsx). The result appears in the Results tab for everyone,
 * like any run.
 */
import { webKinds } from '../kinds/index.ts'
import type { CustomInputProps } from '../kinds/WebKind.ts'

export type CustomInputFormProps = CustomInputProps

export function CustomInputForm(props: CustomInputFormProps) {
  const { CustomInput } = webKinds[props.challenge.style]
  return <CustomInput {...props} />
}
