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

const escapeLabelValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((key) => `${key}="${escapeLabelValue(labels[key])}"`).join(',')}}`;
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

export function renderFamily(family: MetricFamily, samples: Sample[], format: Format, out: string[]): void {
  if (samples.length === 0) return;
  out.push(renderHeader(family, format));
  renderSamples(family, samples, out);
}

/** The HELP and TYPE lines: the only part of a family that differs between the two formats. */
export function renderHeader(family: MetricFamily, format: Format): string {
  const { declared, type } = names(family, format);
  return `# HELP ${declared} ${escapeHelp(family.help)}\n# TYPE ${declared} ${type}\n`;
}

/** Sample lines, the same in both formats (the sample name never depends on the format). */
export function renderSamples(family: MetricFamily, samples: readonly Sample[], out: string[]): void {
  const { sample } = names(family, 'prometheus');
  for (const s of samples) out.push(`${sample(s)}${formatLabels(s.labels)} ${formatValue(s.value)}\n`);
}
