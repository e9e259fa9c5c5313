import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type client from 'prom-client';
import { exporterFamilies } from '../exporter/metrics';
import type { Snapshot } from '../snapshot/types';
import { DOMAIN_FAMILIES } from './catalogue';
import { renderFamily, type Format } from './exposition';
import type { Detail, MetricFamily, Sample } from './family';
import { coarser, reduceSamples } from './reduce';

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

/**
 * Renders the snapshot once into both exposition formats, plain and gzipped, so that a scrape only
 * writes cached bytes. Work is split per family with yields in between, so scrapes are answered while
 * a large snapshot renders. Above the series budget, the detail steps down (object → tenant → platform)
 * and aperio_exporter_series_limited says so.
 */
export async function renderMetrics(snapshot: Snapshot, options: RenderOptions): Promise<RenderedMetrics> {
  const families = options.families ?? DOMAIN_FAMILIES;
  const raw: Sample[][] = [];
  for (const family of families) {
    raw.push(family.samples(snapshot));
    await yieldToEventLoop();
  }
  let detail = options.detail;
  let reduced = await reduceAll(families, raw, detail);
  let series = count(reduced);
  while (series > options.seriesLimit && coarser(detail)) {
    detail = coarser(detail)!;
    reduced = await reduceAll(families, raw, detail);
    series = count(reduced);
  }
  const limited = detail !== options.detail;
  const self = exporterFamilies({ series, detail, limited });
  const selfSamples = self.map((family) => family.samples(snapshot));

  const formats = {} as Record<Format, RenderedBody>;
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const out: string[] = [];
    families.forEach((family, i) => renderFamily(family, reduced[i], format, out));
    self.forEach((family, i) => renderFamily(family, selfSamples[i], format, out));
    await yieldToEventLoop();
    const processText = options.processRegistries ? await options.processRegistries[format].metrics() : '';
    out.push(format === 'openmetrics' ? processText.replace(/# EOF\n?$/, '') : processText);
    if (format === 'openmetrics') out.push('# EOF\n');
    const body = Buffer.from(out.join(''));
    formats[format] = { body, gzip: await gzip(body) };
  }
  return { formats, series, detail, limited, renderedAt: Date.now() };
}

async function reduceAll(families: MetricFamily[], raw: Sample[][], detail: Detail): Promise<Sample[][]> {
  const out: Sample[][] = [];
  for (let i = 0; i < families.length; i++) {
    out.push(reduceSamples(families[i], raw[i], detail));
    if (raw[i].length > 5_000) await yieldToEventLoop();
  }
  return out;
}

const count = (groups: Sample[][]) => groups.reduce((sum, group) => sum + group.length, 0);
