import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { wholeBody, type RenderedBody } from '../src/metrics/render';
import { startBenchExporter } from './exporter';

/**
 * A real exporter in a process of its own, as it runs in production: the parent tells it when to collect,
 * and it measures its own event loop and memory, so the figures hold nothing of the bench's seeding,
 * connection pool or bookkeeping. Messages: in `{ collect: n, everyMs? }` (n collections, each begun
 * `everyMs` after the one before, as the exporter's timer does; back to back without), 'live-heap' and
 * 'stop'; out `{ url, readyMs, readyRssMb }` once listening (the start, whose first collection reads
 * everything, and its peak RSS), one `CollectionReport` per `collect` and `{ liveHeapMb }` (the heap
 * after a full GC) per 'live-heap'.
 */
export interface Ready {
  url: string;
  readyMs: number;
  readyRssMb: number;
}

export interface CollectionReport {
  /** The mean, the median and the longest of the collections asked for. */
  collectionMs: number;
  medianCollectionMs: number;
  maxCollectionMs: number;
  maxStallMs: number;
  /**
   * The longest stall counting only the CPU time the process used during it (all its threads, so an
   * overestimate): on 2 shared cores a stall is also time the scheduler gave to the database or the
   * scrapers, which this separates from the exporter's own work.
   */
  maxOnCpuStallMs: number;
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
  let readyRss = 0;
  const startSampler = setInterval(() => (readyRss = Math.max(readyRss, process.memoryUsage().rss)), 50);
  const starting = performance.now();
  const exporter = await startBenchExporter(databaseUrl, Number(statementTimeoutMs));
  const readyMs = performance.now() - starting;
  clearInterval(startSampler);
  readyRss = Math.max(readyRss, process.memoryUsage().rss);
  process.on('message', (message: { collect?: number; everyMs?: number } | 'stop' | 'live-heap' | 'bare') => {
    if (message === 'stop') {
      void exporter.stop().then(() => process.exit(0));
      return;
    }
    if (message === 'bare') {
      void serveBare(() => exporter.rendered()?.formats.prometheus ?? null).then((bareUrl) => process.send?.({ bareUrl }));
      return;
    }
    if (message === 'live-heap') {
      // A full collection blocks the loop: asked for only once the scrapers have stopped.
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ liveHeapMb: process.memoryUsage().heapUsed / MB });
      return;
    }
    void collect(message.collect ?? 1, message.everyMs ?? 0).then((report) => process.send?.(report));
  });
  process.send?.({ url: exporter.url, readyMs, readyRssMb: readyRss / MB } satisfies Ready);

  async function collect(times: number, everyMs: number): Promise<CollectionReport> {
    let rss = 0;
    let heap = 0;
    const sampleMemory = () => {
      const usage = process.memoryUsage();
      if (process.env.BENCH_TRACE && usage.rss > rss)
        process.stderr.write(
          `MEM rss ${(usage.rss / MB).toFixed(0)} heapTotal ${(usage.heapTotal / MB).toFixed(0)} heapUsed ${(usage.heapUsed / MB).toFixed(0)} external ${(usage.external / MB).toFixed(0)} ab ${(usage.arrayBuffers / MB).toFixed(0)}\n`,
        );
      rss = Math.max(rss, usage.rss);
      heap = Math.max(heap, usage.heapUsed);
    };
    const sampler = setInterval(sampleMemory, 50);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const stalls = watchStalls();
    const durations: number[] = [];
    for (let i = 0; i < times; i++) {
      const begun = performance.now();
      await exporter.collector.refresh();
      durations.push(performance.now() - begun);
      const rest = everyMs - (performance.now() - begun);
      if (i < times - 1 && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    const sorted = [...durations].sort((a, b) => a - b);
    loop.disable();
    clearInterval(sampler);
    const onCpuStallMs = stalls.stop();
    sampleMemory();
    const rendered = exporter.rendered();
    if (!rendered) throw new Error('no /metrics rendering');
    return {
      collectionMs: durations.reduce((sum, d) => sum + d, 0) / times,
      medianCollectionMs: sorted[Math.floor(sorted.length / 2)],
      maxCollectionMs: sorted[sorted.length - 1],
      maxStallMs: loop.max / 1e6,
      maxOnCpuStallMs: onCpuStallMs,
      rssMb: rss / MB,
      heapMb: heap / MB,
      series: rendered.series,
      detail: rendered.detail,
      limited: rendered.limited,
      plainBytes: rendered.formats.prometheus.length,
      gzipBytes: rendered.formats.prometheus.gzip.length,
      openMetricsBytes: rendered.formats.openmetrics.length,
    };
  }
}

/**
 * A bare Node server in this process, sending the exporter's current /metrics bytes (gzip when asked)
 * with its headers to any GET: the ceiling for /metrics under the same load, since it shares this process's
 * event loop with the collections (the same process, the same cores).
 */
function serveBare(rendered: () => RenderedBody | null): Promise<string> {
  const server = http.createServer((req, res) => {
    const bodies = rendered();
    if (!bodies) {
      res.writeHead(503).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const bytes = gzip ? bodies.gzip : wholeBody(bodies);
    res.writeHead(200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      Vary: 'Accept, Accept-Encoding',
      'Cache-Control': 'no-store',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      'Content-Length': String(bytes.length),
    });
    res.end(bytes);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/**
 * Every 5 ms: how late the timer fired, and how much CPU the process used meanwhile. With
 * BENCH_CPU_PROFILE_DIR set, stalls over 40 ms are written there on the CPU profile's clock (both are
 * CLOCK_MONOTONIC microseconds), so that the profile shows what ran in them. Returns the longest
 * stall counted in CPU time.
 */
function watchStalls(): { stop(): number } {
  const found: { endUs: number; ms: number; cpuMs: number }[] = [];
  let maxOnCpu = 0;
  let last = process.hrtime.bigint();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(lastCpu);
    const ms = Number(now - last) / 1e6 - 5;
    const cpuMs = Math.min(ms, (cpu.user + cpu.system) / 1000);
    maxOnCpu = Math.max(maxOnCpu, cpuMs);
    if (ms > 40) found.push({ endUs: Number(now / 1000n), ms, cpuMs });
    if (ms > 30 && process.env.BENCH_TRACE)
      process.stderr.write(`STALL at ${performance.now().toFixed(0)} ms: ${ms.toFixed(0)} ms (cpu ${cpuMs.toFixed(0)})\n`);
    last = now;
    lastCpu = process.cpuUsage();
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      const dir = process.env.BENCH_CPU_PROFILE_DIR;
      if (dir) writeFileSync(path.join(dir, `stalls-${process.pid}.json`), JSON.stringify(found));
      return maxOnCpu;
    },
  };
}

main().catch((err: Error) => {
  process.stderr.write(`bench exporter: ${err.message}\n`);
  process.exit(1);
});
