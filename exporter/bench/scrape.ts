import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { loadSettings } from '../src/config/settings';
import { startExporter } from '../src/exporter/runtime';

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
 * A real exporter on a free port. While it collects `collections` times back to back, SCRAPERS clients
 * scrape /metrics (gzip, as Prometheus asks) as fast as they get answers. The event-loop delay monitor
 * and RSS sampling cover the whole phase: the scrapers share the process, so the figures are an upper bound.
 */
export async function scrapeDuringCollection(databaseUrl: string, collections: number, statementTimeoutMs: number): Promise<ScrapeResult> {
  const settings = loadSettings({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    COLLECT_INTERVAL_SECONDS: '3600',
    STATEMENT_TIMEOUT_MS: String(statementTimeoutMs),
    LOG_LEVEL: 'warn',
  });
  const exporter = await startExporter({ settings, databaseUrl });
  const agent = new http.Agent({ keepAlive: true, maxSockets: SCRAPERS });
  const latencies: number[] = [];
  let rssMax = 0;
  let heapMax = 0;
  const sampleMemory = () => {
    const usage = process.memoryUsage();
    rssMax = Math.max(rssMax, usage.rss);
    heapMax = Math.max(heapMax, usage.heapUsed);
  };
  const sampler = setInterval(sampleMemory, 50);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    await scrape(exporter.url, agent); // the first request opens connections outside the measurement
    loop.enable();
    let collecting = true;
    const scrapers = Array.from({ length: SCRAPERS }, async () => {
      while (collecting) {
        const started = performance.now();
        await scrape(exporter.url, agent);
        latencies.push(performance.now() - started);
      }
    });
    const started = performance.now();
    for (let i = 0; i < collections; i++) await exporter.collector.refresh();
    const collectionMs = (performance.now() - started) / collections;
    collecting = false;
    await Promise.all(scrapers);
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
    agent.destroy();
    await exporter.stop();
  }
}

function scrape(base: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/metrics`, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/metrics answered ${res.statusCode}`));
        // Check the body is whole once in a while, without making every scrape pay for gunzip.
        if (Math.random() < 0.01) gunzipSync(Buffer.concat(chunks));
        resolve();
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
