import { DETAILS, TENANT_LABEL, type Detail, type MetricFamily, type Sample } from './family';

/** Labels a family loses at a detail level: object labels below `object`, and the tenant too at `platform`. */
export function droppedLabels(family: MetricFamily, detail: Detail): string[] {
  if (detail === 'object') return [];
  const object = [...(family.objectLabels ?? [])];
  return detail === 'tenant' ? object : [...object, TENANT_LABEL];
}

/** The family's samples at the given detail, merging the samples that differ only in dropped labels. */
export function reduceSamples(family: MetricFamily, samples: Sample[], detail: Detail): Sample[] {
  const merger = sampleMerger(family, samples, detail);
  if (!merger) return samples;
  merger.add(samples);
  return merger.result();
}

/**
 * reduceSamples with the merging done in slices and `pause()` awaited between them, so a family of
 * hundreds of thousands of samples never blocks the event loop in one go. Same result.
 */
export async function reduceSamplesSliced(
  family: MetricFamily,
  samples: Sample[],
  detail: Detail,
  slice: number,
  pause: () => Promise<void>,
): Promise<Sample[]> {
  const merger = sampleMerger(family, samples, detail);
  if (!merger) return samples;
  for (let i = 0; i < samples.length; i += slice) {
    merger.add(samples.slice(i, i + slice));
    await pause();
  }
  return merger.result();
}

/** Null when nothing needs merging (the samples stand as they are). */
function sampleMerger(family: MetricFamily, samples: Sample[], detail: Detail) {
  const dropped = droppedLabels(family, detail);
  if (dropped.length === 0 || !samples.some((s) => dropped.some((label) => label in s.labels))) return null;
  const merged = new Map<string, Sample>();
  return {
    add(part: readonly Sample[]): void {
      if (family.merge === 'drop') return;
      for (const sample of part) {
        const labels = { ...sample.labels };
        for (const label of dropped) delete labels[label];
        const key = `${sample.suffix ?? ''}|${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('\u0000')}`;
        const existing = merged.get(key);
        if (!existing) {
          merged.set(key, { labels, value: sample.value, suffix: sample.suffix });
        } else if (family.merge === 'sum') {
          existing.value += sample.value;
        } else if (family.merge === 'max') {
          existing.value = Math.max(existing.value, sample.value);
        } else {
          existing.value = Math.min(existing.value, sample.value);
        }
      }
    },
    result: (): Sample[] => (family.merge === 'drop' ? [] : [...merged.values()]),
  };
}

export function coarser(detail: Detail): Detail | undefined {
  return DETAILS[DETAILS.indexOf(detail) + 1];
}
