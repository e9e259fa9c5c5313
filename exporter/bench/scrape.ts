import { fork } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBenchExporter } from './exporter';

export const SCRAPERS = 8;

export interface ScrapeResult {
  scrapes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  collections: number;
  collectionMs: number;
  series: number;
  detail: string;
  limited: boolean;
  plainBytes: number;
  gzipBytes: number;
  openMetricsBytes: number;
  maxStallMs: number;
  rssMb: number;
  heapMb: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * A real exporter on a free port. While it collects `collections` times back to back, SCRAPERS clients in
 * a separate process (bench/scraper.ts) scrape /metrics as fast as they get answers. The event-loop
 * delay monitor and RSS sampling cover the whole phase in the exporter's process (which also holds the
 * bench's own connection pool).
 */
export async function scrapeDuringCollection(databaseUrl: string, collections: number, statementTimeoutMs: number): Promise<ScrapeResult> {
  const exporter = await startBenchExporter(databaseUrl, statementTimeoutMs);
  let rssMax = 0;
  let heapMax = 0;
  const sampleMemory = () => {
    const usage = process.memoryUsage();
    rssMax = Math.max(rssMax, usage.rss);
    heapMax = Math.max(heapMax, usage.heapUsed);
  };
  const sampler = setInterval(sampleMemory, 50);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const child = fork(path.join(__dirname, 'scraper.ts'), [exporter.url, String(SCRAPERS)], { execArgv: ['--import', 'tsx'] });
  try {
    const messages = new Promise<{ latencies: number[]; failure: string | null }>((resolve, reject) => {
      child.on('message', (message: { ready?: boolean; latencies?: number[]; failure?: string | null }) => {
        if (!message.ready) resolve({ latencies: message.latencies ?? [], failure: message.failure ?? null });
      });
      child.once('exit', (code) => reject(new Error(`the scraper process exited with ${code}`)));
    });
    await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()));
    loop.enable();
    const started = performance.now();
    for (let i = 0; i < collections; i++) await exporter.collector.refresh();
    const collectionMs = (performance.now() - started) / collections;
    child.send('stop');
    const { latencies, failure } = await messages;
    if (failure) throw new Error(`a scrape failed: ${failure}`);
    loop.disable();
    sampleMemory();
    const rendered = exporter.rendered();
    if (!rendered) throw new Error('no /metrics rendering');
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      scrapes: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1],
      collections,
      collectionMs,
      series: rendered.series,
      detail: rendered.detail,
      limited: rendered.limited,
      plainBytes: rendered.formats.prometheus.body.length,
      gzipBytes: rendered.formats.prometheus.gzip.length,
      openMetricsBytes: rendered.formats.openmetrics.body.length,
      maxStallMs: loop.max / 1e6,
      rssMb: rssMax / 2 ** 20,
      heapMb: heapMax / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
    await exporter.stop();
  }
}
