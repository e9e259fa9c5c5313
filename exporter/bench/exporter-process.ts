import { writeFileSync } from 'node:fs';
import path from 'node:path';
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
    const stalls = process.env.BENCH_CPU_PROFILE_DIR ? watchStalls() : null;
    const started = performance.now();
    for (let i = 0; i < times; i++) await exporter.collector.refresh();
    const collectionMs = (performance.now() - started) / times;
    loop.disable();
    clearInterval(sampler);
    stalls?.stop();
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

/**
 * With BENCH_CPU_PROFILE_DIR set: the times of stalls over 40 ms on the CPU profile's clock (both are
 * CLOCK_MONOTONIC microseconds), written next to the profile, so that the profile shows what ran in them.
 */
function watchStalls(): { stop(): void } {
  const found: { endUs: number; ms: number }[] = [];
  let last = process.hrtime.bigint();
  const timer = setInterval(() => {
    const now = process.hrtime.bigint();
    const ms = Number(now - last) / 1e6 - 5;
    if (ms > 40) found.push({ endUs: Number(now / 1000n), ms });
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      writeFileSync(path.join(process.env.BENCH_CPU_PROFILE_DIR!, `stalls-${process.pid}.json`), JSON.stringify(found));
    },
  };
}

main().catch((err: Error) => {
  process.stderr.write(`bench exporter: ${err.message}\n`);
  process.exit(1);
});
