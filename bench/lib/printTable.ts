/** Plain-text tables for benchmark output: a label column, then right-aligned figures. */

export type Cell = string | number | null

function format(cell: Cell): string {
  if (cell === null) return '—'
  if (typeof cell === 'string') return cell
  if (Number.isInteger(cell)) return String(cell)
  return Math.abs(cell) >= 100
    ? cell.toFixed(0)
    : Math.abs(cell) >= 10
      ? cell.toFixed(1)
      : cell.toFixed(2)
}

export function printTable(title: string, header: string[], rows: Cell[][]): void {
  const cells = [header, ...rows.map((row) => row.map(format))]
  const widths = header.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)))
  console.log(`\n${title}`)
  for (const [r, row] of cells.entries()) {
    const line = row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
    console.log(`  ${line}`)
    if (r === 0) console.log(`  ${'-'.repeat(line.length)}`)
  }
}

/** b / a, or null when either is missing or a is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || a === 0) return null
  return Math.round((b / a) * 100) / 100
}
