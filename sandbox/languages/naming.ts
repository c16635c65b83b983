/** Identifier spellings the harnesses and starters agree on. */

/** `twoSum` → `two_sum`; a capital starts a new word only after a lower-case letter or digit. */
export function snakeCase(name: string): string {
  return name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase()
}
