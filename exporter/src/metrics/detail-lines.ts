import { formatLabels, formatValue, sampleNamer } from './exposition';
import { TENANT_LABEL, type Detail, type MetricFamily, type Sample } from './family';

/** One family's sample lines at one detail, encoded in chunks of CHUNK_LINES lines. */
export interface FamilyLines {
  family: MetricFamily;
  chunks: Buffer[];
}

/** A detail level being rendered: its series so far and its lines, or null once it went over the budget. */
export interface LevelOutput {
  detail: Detail;
  series: number;
  families: FamilyLines[] | null;
}

const CHUNK_LINES = 2_000;
const PAUSE_EVERY_SAMPLES = 256;

/** Labels a family loses at a detail level: object labels below `object`, and the tenant too at `platform`. */
export function droppedLabels(family: MetricFamily, detail: Detail): string[] {
  if (detail === 'object') return [];
  const object = [...(family.objectLabels ?? [])];
  return detail === 'tenant' ? object : [...object, TENANT_LABEL];
}

function combine(merge: MetricFamily['merge'], a: number, b: number): number {
  if (merge === 'max') return Math.max(a, b);
  if (merge === 'min') return Math.min(a, b);
  return a + b;
}

/**
 * Where one set of dropped labels writes its lines. Levels that drop the same labels (a family without
 * object labels reads the same at object and tenant detail) share one sink and its bytes.
 */
class Sink {
  readonly levels: LevelOutput[] = [];
  private lines: string[] = [];
  readonly chunks: Buffer[] = [];
  /** Merging sinks key by the rendered line up to the value, so no Sample object outlives its line. */
  private readonly merged: Map<string, number> | null;
  private direct = 0;

  constructor(private readonly family: MetricFamily, readonly dropped: string[]) {
    this.merged = dropped.length ? new Map() : null;
  }

  get series(): number {
    return this.merged ? this.merged.size : this.direct;
  }

  add(prefix: string, sample: Sample): void {
    if (!this.merged) {
      this.push(`${prefix}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`);
      this.direct += 1;
      return;
    }
    // Per-object families (info, per-object thresholds) have no meaning once their object is gone.
    if (this.family.merge === 'drop' && this.dropped.some((label) => label in sample.labels)) return;
    const key = prefix + formatLabels(sample.labels, this.dropped);
    const previous = this.merged.get(key);
    this.merged.set(key, previous === undefined ? sample.value : combine(this.family.merge, previous, sample.value));
  }

  async finish(pause: () => Promise<void>): Promise<void> {
    if (this.merged) {
      let n = 0;
      for (const [key, value] of this.merged) {
        this.push(`${key} ${formatValue(value)}\n`);
        if (++n % PAUSE_EVERY_SAMPLES === 0) await pause();
      }
    }
    if (this.lines.length) this.chunks.push(Buffer.from(this.lines.join('')));
    this.lines = [];
  }

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= CHUNK_LINES) {
      this.chunks.push(Buffer.from(this.lines.join('')));
      this.lines = [];
    }
  }
}

/**
 * Draws the family's samples once (generators are consumed in time slices) and writes its lines at every
 * level still within the budget: a level that drops no label takes the lines as they come, a coarser one
 * merges samples by their remaining labels. A level whose series pass `limit` is let go at once (its
 * memory with it), except the coarsest, which is always kept. Nothing holds a family's full-detail samples.
 */
export async function renderFamilyAtLevels(
  family: MetricFamily,
  samples: Iterable<Sample>,
  levels: LevelOutput[],
  limit: number,
  pause: () => Promise<void>,
): Promise<void> {
  const coarsest = levels[levels.length - 1];
  const sinks = new Map<string, Sink>();
  for (const level of levels) {
    if (level.families === null) continue;
    const dropped = droppedLabels(family, level.detail);
    const id = dropped.join(',');
    let sink = sinks.get(id);
    if (!sink) sinks.set(id, (sink = new Sink(family, dropped)));
    sink.levels.push(level);
  }
  const overBudget = () => {
    for (const [id, sink] of sinks) {
      for (const level of [...sink.levels]) {
        if (level !== coarsest && level.series + sink.series > limit) {
          level.families = null;
          sink.levels.splice(sink.levels.indexOf(level), 1);
        }
      }
      if (sink.levels.length === 0) sinks.delete(id);
    }
  };

  const name = sampleNamer(family);
  let n = 0;
  for (const sample of samples) {
    const prefix = name(sample);
    for (const sink of sinks.values()) sink.add(prefix, sample);
    if (++n % PAUSE_EVERY_SAMPLES === 0) {
      overBudget();
      await pause();
    }
  }
  overBudget();
  for (const sink of sinks.values()) {
    await sink.finish(pause);
    for (const level of sink.levels) {
      level.series += sink.series;
      if (sink.chunks.length) level.families!.push({ family, chunks: sink.chunks });
    }
  }
  await pause();
}
