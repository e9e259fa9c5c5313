import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type client from 'prom-client';
import { exporterFamilies } from '../exporter/metrics';
import type { Snapshot } from '../snapshot/types';
import { DOMAIN_FAMILIES } from './catalogue';
import { renderHeader, renderSamples, type Format } from './exposition';
import { DETAILS, type Detail, type MetricFamily, type Sample } from './family';
import { reduceSamplesSliced } from './reduce';

const gzip = promisify(zlib.gzip);

export interface RenderedBody {
  body: Buffer;
  gzip: Buffer;
}

export interface RenderedMetrics {
  formats: Record<Format, RenderedBody>;
  series: number;
  detail: Detail;
  limited: boolean;
  renderedAt: number;
}

export interface RenderOptions {
  detail: Detail;
  seriesLimit: number;
  processRegistries?: Record<Format, client.Registry>;
  families?: MetricFamily[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// Rendering a large snapshot takes hundreds of milliseconds of CPU; it is cut into slices of at most
// SLICE_MS with a yield in between, so scrapes of the previous rendering are answered meanwhile.
const SLICE_MS = 10;
const SLICE_SAMPLES = 2_000;

function slicer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}

/**
 * Renders the snapshot once into both exposition formats, plain and gzipped, so that a scrape only
 * writes cached bytes. Work is time-sliced (see SLICE_MS), so scrapes are answered while a large
 * snapshot renders. Above the series budget, the detail steps down (object → tenant → platform) and
 * aperio_exporter_series_limited says so.
 */
export async function renderMetrics(snapshot: Snapshot, options: RenderOptions): Promise<RenderedMetrics> {
  const families = options.families ?? DOMAIN_FAMILIES;
  const pause = slicer();
  const { detail, samples: reduced, series } = await samplesWithinBudget(snapshot, families, options.detail, options.seriesLimit, pause);
  const limited = detail !== options.detail;
  const self = exporterFamilies({ series, detail, limited });
  const all = [...families, ...self];
  const samples = [...reduced, ...self.map((family) => [...family.samples(snapshot)])];

  // Sample lines are the same in both formats: encode them once, in slices, and share the buffers.
  const lines: Buffer[][] = [];
  for (let i = 0; i < all.length; i++) {
    const parts: Buffer[] = [];
    for (let from = 0; from < samples[i].length; from += SLICE_SAMPLES) {
      const out: string[] = [];
      renderSamples(all[i], samples[i].slice(from, from + SLICE_SAMPLES), out);
      parts.push(Buffer.from(out.join('')));
      await pause();
    }
    lines.push(parts);
  }

  const formats = {} as Record<Format, RenderedBody>;
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const out: Buffer[] = [];
    all.forEach((family, i) => {
      if (samples[i].length === 0) return;
      out.push(Buffer.from(renderHeader(family, format)), ...lines[i]);
    });
    const processText = options.processRegistries ? await options.processRegistries[format].metrics() : '';
    out.push(Buffer.from(format === 'openmetrics' ? processText.replace(/# EOF\n?$/, '') : processText));
    if (format === 'openmetrics') out.push(Buffer.from('# EOF\n'));
    const body = Buffer.concat(out);
    formats[format] = { body, gzip: await gzip(body) };
    await pause();
  }
  return { formats, series, detail, limited, renderedAt: Date.now() };
}

/** A family's samples, drawn from its iterable with pauses: a generator family never blocks for long. */
async function collectSamples(family: MetricFamily, snapshot: Snapshot, pause: () => Promise<void>): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const sample of family.samples(snapshot)) {
    out.push(sample);
    if (out.length % 512 === 0) await pause();
  }
  await pause();
  return out;
}

/**
 * Every family's samples at the finest detail within the series budget. Each family's full-detail
 * samples are reduced to every coarser level as soon as they are made, then let go: a level is only kept
 * while it fits the budget (the coarsest always), so a snapshot far over the budget never holds all its
 * full-detail samples at once. Reducing a reduced level gives the same samples as reducing the full detail.
 */
async function samplesWithinBudget(
  snapshot: Snapshot,
  families: MetricFamily[],
  requested: Detail,
  limit: number,
  pause: () => Promise<void>,
): Promise<{ detail: Detail; samples: Sample[][]; series: number }> {
  const levels = DETAILS.slice(DETAILS.indexOf(requested));
  const counts = levels.map(() => 0);
  const kept: (Sample[][] | null)[] = levels.map(() => []);
  for (const family of families) {
    let current = await collectSamples(family, snapshot, pause);
    for (let l = 0; l < levels.length; l++) {
      current = await reduceSamplesSliced(family, current, levels[l], SLICE_SAMPLES, pause);
      counts[l] += current.length;
      const last = l === levels.length - 1;
      if (!last && counts[l] > limit) kept[l] = null;
      kept[l]?.push(current);
    }
  }
  let chosen = counts.findIndex((n) => n <= limit);
  if (chosen === -1) chosen = levels.length - 1;
  return { detail: levels[chosen], samples: kept[chosen]!, series: counts[chosen] };
}

