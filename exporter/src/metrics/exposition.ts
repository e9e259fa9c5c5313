import type { MetricFamily, Sample } from './family';

/**
 * Text exposition in the two formats Prometheus negotiates: the classic text format 0.0.4 and
 * OpenMetrics 1.0. They differ in how counter and info families are declared and in the final `# EOF`.
 */
export type Format = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<Format, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

// Most values need no escaping: test once rather than run three replacements on every label.
const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabelValue = (value: string) =>
  NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : value;
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="x",b="y"}` in the labels' own order, leaving out `skip`; empty when no label is left. */
export function formatLabels(labels: Record<string, string>, skip: readonly string[] = []): string {
  let out = '';
  for (const key in labels) {
    if (skip.length !== 0 && skip.includes(key)) continue;
    out += `${out ? ',' : '{'}${key}="${escapeLabelValue(labels[key])}"`;
  }
  return out ? `${out}}` : '';
}

/** The metric name a sample is written under, and the name in the family's HELP/TYPE lines. */
function names(family: MetricFamily, format: Format): { declared: string; sample: (s: Sample) => string; type: string } {
  switch (family.type) {
    case 'counter':
      return {
        declared: format === 'openmetrics' ? family.name : `${family.name}_total`,
        sample: () => `${family.name}_total`,
        type: 'counter',
      };
    case 'info':
      return {
        declared: format === 'openmetrics' ? family.name : `${family.name}_info`,
        sample: () => `${family.name}_info`,
        type: format === 'openmetrics' ? 'info' : 'gauge',
      };
    case 'histogram':
      return { declared: family.name, sample: (s) => `${family.name}${s.suffix ?? ''}`, type: 'histogram' };
    default:
      return { declared: family.name, sample: () => family.name, type: 'gauge' };
  }
}

/** The HELP and TYPE lines: the only part of a family that differs between the two formats. */
export function renderHeader(family: MetricFamily, format: Format): string {
  const { declared, type } = names(family, format);
  return `# HELP ${declared} ${escapeHelp(family.help)}\n# TYPE ${declared} ${type}\n`;
}

/** The name each sample line of the family starts with: the same in both formats (only HELP/TYPE lines differ). */
export function sampleNamer(family: MetricFamily): (sample: Sample) => string {
  return names(family, 'prometheus').sample;
}
