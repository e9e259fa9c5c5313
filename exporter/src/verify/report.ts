import { formatLabels } from '../metrics/exposition';
import type { VerifyResult } from './verify';

const value = (v: number | null) => (v === null ? 'absent' : String(Number(v.toFixed(6))));

/** The table of what was compared and every difference, for the CLI. */
export function formatReport(result: VerifyResult): string {
  const lines: string[] = [];
  const t = result.tenants;
  lines.push(
    `snapshot of ${new Date(result.takenAt).toISOString()}, recomputed in the same transaction (${result.durationSeconds.toFixed(2)} s)`,
  );
  lines.push(
    t.slugs
      ? `tenants: a deterministic sample of ${t.slugs.length} of ${t.total} (VERIFY_SAMPLE_TENANTS): ${t.slugs.join(', ')}`
      : `tenants: all ${t.total}`,
  );
  lines.push('');
  const width = Math.max(6, ...result.families.map((f) => f.family.length));
  lines.push(`${'family'.padEnd(width)}  ${'values'.padStart(7)}  ${'differences'.padStart(11)}`);
  for (const f of result.families) {
    const row = `${f.family.padEnd(width)}  ${String(f.compared).padStart(7)}  ${String(f.differences.length).padStart(11)}`;
    lines.push(f.skipped ? `${row}  (skipped: ${f.skipped})` : row);
  }
  lines.push(`${'total'.padEnd(width)}  ${String(result.compared).padStart(7)}  ${String(result.differences.length).padStart(11)}`);
  lines.push('');
  if (!result.differences.length) {
    lines.push('no differences: every value compared matches its definition');
  } else {
    lines.push(`${result.differences.length} difference(s):`);
    for (const d of result.differences) {
      lines.push(`  ${d.series}${formatLabels(d.labels)}  snapshot ${value(d.snapshot)}  recomputed ${value(d.recomputed)}`);
    }
  }
  return lines.join('\n') + '\n';
}
