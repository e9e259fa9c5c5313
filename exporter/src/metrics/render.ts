import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type client from 'prom-client';
import { exporterFamilies } from '../exporter/metrics';
import type { Snapshot } from '../snapshot/types';
import { DOMAIN_FAMILIES } from './catalogue';
import { renderFamilyAtLevels, type LevelOutput } from './detail-lines';
import { renderHeader, type Format } from './exposition';
import { DETAILS, type Detail, type MetricFamily } from './family';

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
 * snapshot renders. Every detail from the requested one down is rendered in the same pass over the
 * samples; above the series budget the detail steps down (object → tenant → platform) and
 * aperio_exporter_series_limited says so.
 */
export async function renderMetrics(snapshot: Snapshot, options: RenderOptions): Promise<RenderedMetrics> {
  const families = options.families ?? DOMAIN_FAMILIES;
  const pause = slicer();
  const levels: LevelOutput[] = DETAILS.slice(DETAILS.indexOf(options.detail)).map((detail) => ({ detail, series: 0, families: [] }));
  for (const family of families) await renderFamilyAtLevels(family, family.samples(snapshot), levels, options.seriesLimit, pause);
  const chosen = levels.find((level) => level.families !== null)!;
  const limited = chosen.detail !== options.detail;

  const self: LevelOutput = { detail: 'object', series: 0, families: [] };
  for (const family of exporterFamilies({ series: chosen.series, detail: chosen.detail, limited })) {
    await renderFamilyAtLevels(family, family.samples(snapshot), [self], Infinity, pause);
  }
  const blocks = [...chosen.families!, ...self.families!];

  const formats = {} as Record<Format, RenderedBody>;
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const out: Buffer[] = [];
    for (const { family, chunks } of blocks) out.push(Buffer.from(renderHeader(family, format)), ...chunks);
    const processText = options.processRegistries ? await options.processRegistries[format].metrics() : '';
    out.push(Buffer.from(format === 'openmetrics' ? processText.replace(/# EOF\n?$/, '') : processText));
    if (format === 'openmetrics') out.push(Buffer.from('# EOF\n'));
    const body = Buffer.concat(out);
    formats[format] = { body, gzip: await gzip(body) };
    await pause();
  }
  return { formats, series: chosen.series, detail: chosen.detail, limited, renderedAt: Date.now() };
}
