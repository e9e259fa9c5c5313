import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBenchExporter } from './exporter';

/**
 * A real exporter in a process of its own, as it runs in production: the parent tells it when to collect,
 * and it measures its own event loop and memory, so the figures hold nothing of the bench's seeding,
 * connection pool or bookkeeping. Messages: in `{ collect: n }` and 'stop'; out `{ url }` once listening,
 * then one `CollectionReport` per `collect`.
 */
export interface CollectionReport {
  collectionMs: number;
  maxStallMs: number;
  rssMb: number;
  heapMb: number;
  series: number;
  detail: string;
  limited: boolean;
  plainBytes: number;
  gzipBytes: number;
  openMetricsBytes: number;
}

const MB = 2 ** 20;

async function main(): Promise<void> {
  const [databaseUrl, statementTimeoutMs] = process.argv.slice(2);
  const exporter = await startBenchExporter(databaseUrl, Number(statementTimeoutMs));
  process.on('message', (message: { collect?: number } | 'stop') => {
    if (message === 'stop') {
      void exporter.stop().then(() => process.exit(0));
      return;
    }
    void collect(message.collect ?? 1).then((report) => process.send?.(report));
  });
  process.send?.({ url: exporter.url });

  async function collect(times: number): Promise<CollectionReport> {
    let rss = 0;
    let heap = 0;
    const sampleMemory = () => {
      const usage = process.memoryUsage();
      rss = Math.max(rss, usage.rss);
      heap = Math.max(heap, usage.heapUsed);
    };
    const sampler = setInterval(sampleMemory, 50);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    for (let i = 0; i < times; i++) await exporter.collector.refresh();
    const collectionMs = (performance.now() - started) / times;
    loop.disable();
    clearInterval(sampler);
    sampleMemory();
    const rendered = exporter.rendered();
    if (!rendered) throw new Error('no /metrics rendering');
    return {
      collectionMs,
      maxStallMs: loop.max / 1e6,
      rssMb: rss / MB,
      heapMb: heap / MB,
      series: rendered.series,
      detail: rendered.detail,
      limited: rendered.limited,
      plainBytes: rendered.formats.prometheus.body.length,
      gzipBytes: rendered.formats.prometheus.gzip.length,
      openMetricsBytes: rendered.formats.openmetrics.body.length,
    };
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench exporter: ${err.message}\n`);
  process.exit(1);
});
