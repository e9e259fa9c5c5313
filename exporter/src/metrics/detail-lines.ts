import { formatLabels, formatValue, sampleNamer } from './exposition';
import { TENANT_LABEL, type Detail, type MetricFamily, type Sample } from './family';

/** One family's sample lines at one detail, encoded in chunks of CHUNK_LINES lines. */
export interface FamilyLines {
  family: MetricFamily;
  chunks: Buffer[];
}

/**
 * A detail level in a rendering pass: the one written out (`lines`), or a finer one only counted, so
 * the next rendering knows whether it fits the budget again. `over` once its series passed the budget.
 */
export interface LevelPass {
  detail: Detail;
  mode: 'lines' | 'count';
  /** The series budget; Infinity for the coarsest level, which is written out whatever its size. */
  budget: number;
  series: number;
  over: boolean;
  families: FamilyLines[];
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
 * One family at one level. Without dropped labels every sample is a line (or, counting, a series);
 * with them, samples merge by their remaining labels, keyed by the rendered line up to the value, so no
 * Sample object outlives the moment it is drawn.
 */
class Sink {
  private lines: string[] = [];
  readonly chunks: Buffer[] = [];
  private readonly merged: Map<string, number> | null = null;
  private readonly keys: Set<string> | null = null;
  private direct = 0;

  constructor(
    private readonly family: MetricFamily,
    private readonly dropped: string[],
    readonly level: LevelPass,
  ) {
    if (dropped.length && level.mode === 'lines') this.merged = new Map();
    if (dropped.length && level.mode === 'count') this.keys = new Set();
  }

  get series(): number {
    return this.merged?.size ?? this.keys?.size ?? this.direct;
  }

  add(prefix: string, sample: Sample): void {
    if (!this.dropped.length) {
      this.direct += 1;
      if (this.level.mode === 'lines') this.push(`${prefix}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`);
      return;
    }
    // Per-object families (info, per-object thresholds) have no meaning once their object is gone.
    if (this.family.merge === 'drop' && this.dropped.some((label) => label in sample.labels)) return;
    const key = prefix + formatLabels(sample.labels, this.dropped);
    if (this.keys) {
      this.keys.add(key);
      return;
    }
    const previous = this.merged!.get(key);
    this.merged!.set(key, previous === undefined ? sample.value : combine(this.family.merge, previous, sample.value));
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
 * Draws the family's samples once (generators are consumed in time slices) into every level of the pass
 * that is not yet over its budget. A level is marked `over` as soon as it passes the budget and is dropped
 * from the pass, its memory with it: a pass over a snapshot far larger than the budget stops early.
 */
export async function renderFamily(
  family: MetricFamily,
  samples: Iterable<Sample>,
  levels: LevelPass[],
  pause: () => Promise<void>,
): Promise<void> {
  let sinks = levels.filter((level) => !level.over).map((level) => new Sink(family, droppedLabels(family, level.detail), level));
  const checkBudget = () => {
    for (const sink of sinks) if (sink.level.series + sink.series > sink.level.budget) sink.level.over = true;
    sinks = sinks.filter((sink) => !sink.level.over);
  };
  const name = sampleNamer(family);
  let n = 0;
  for (const sample of samples) {
    if (sinks.length === 0) break;
    const prefix = name(sample);
    for (const sink of sinks) sink.add(prefix, sample);
    if (++n % PAUSE_EVERY_SAMPLES === 0) {
      checkBudget();
      await pause();
    }
  }
  checkBudget();
  for (const sink of sinks) {
    await sink.finish(pause);
    sink.level.series += sink.series;
    if (sink.chunks.length) sink.level.families.push({ family, chunks: sink.chunks });
  }
  await pause();
}
