/** Prints rows as a Markdown table, so the output can go into the README as it is. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
export const count = (value: number) => value.toLocaleString('en-US');
export const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
