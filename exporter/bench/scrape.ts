import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type pg from 'pg';
import type { Scale } from './args';
import type { CollectionReport } from './exporter-process';
import { intervalWrites, writeOneInterval } from './steady-state';

export const SCRAPERS = 8;
/**
 * Scrapes per second of the paced phases: one Prometheus server scrapes a target every 15 s or so, so
 * this is hundreds of scrapers' worth, yet leaves the cores to the collection, as in production; the
 * back-to-back phases measure what the cores can give, the paced ones what a scrape waits.
 */
export const PACED_RATE = 10;

export interface Latencies {
  scrapes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Scrapes sent again once because the server had closed their kept-alive connection (scraper.ts). */
  retries: number;
}

export interface ScrapeResult extends CollectionReport, Latencies {
  /** The exporter's heap after a full garbage collection once the scrapers stopped: what it really holds. */
  liveHeapMb: number;
  collections: number;
  /** The same scrapers asking for plain text, during as many collections again. */
  plain: Latencies;
  /** Plain text from a bare Node server in the exporter's process sending the same bytes, during as many collections again. */
  bare: Latencies;
  /** The same bare server asked for gzip. */
  bareGzip: Latencies;
  /** The same four, with the scrapes paced at PACED_RATE per second, each during twice as many collections. */
  paced: { gzip: Latencies; plain: Latencies; bare: Latencies; bareGzip: Latencies };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** The next message from a child process that passes `accept`; rejects if the child exits first. */
export function nextMessage<T>(child: ChildProcess, accept: (message: unknown) => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!accept(message)) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a bench process exited with ${code} before answering`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const forkTs = (file: string, args: string[]) => fork(path.join(__dirname, file), args, { execArgv: ['--import', 'tsx'] });
// The exporter process loads its TypeScript the way the tests run the CLI (tsx's CommonJS hook, no
// loader thread); a deployed exporter runs the same code compiled to dist/.
export const forkExporter = (args: string[], execArgv: string[], env: Record<string, string> = {}) =>
  fork(path.join(__dirname, 'exporter-process.ts'), args, {
    execArgv: ['--require', 'tsx/cjs', ...execArgv],
    env: { ...process.env, ...env },
  });
/** Asks a bench exporter process to stop (it awaits its own shutdown), and kills it after 10 s. */
export async function stopExporter(exporter: ChildProcess): Promise<void> {
  if (exporter.exitCode !== null) return;
  const exited = new Promise((resolve) => exporter.once('exit', resolve));
  exporter.send('stop');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (exporter.exitCode === null) exporter.kill();
}

/** SCRAPERS clients of `url` in a process of their own; `stop()` ends them and gives their latencies. */
async function startScrapers(
  url: string,
  encoding: 'gzip' | 'identity',
  rate: number,
): Promise<{ stop(): Promise<Latencies>; kill(): void }> {
  const scraper = forkTs('scraper.ts', [url, String(SCRAPERS), '/metrics', 'now', encoding, String(rate)]);
  const scrapes = nextMessage<{ latencies?: number[]; failure?: string | null; retries?: number }>(
    scraper,
    (m) => !(m as { ready?: boolean }).ready,
  );
  await nextMessage(scraper, (m) => (m as { ready?: boolean }).ready === true);
  return {
    async stop() {
      scraper.send('stop');
      const { latencies = [], failure = null, retries = 0 } = await scrapes;
      if (failure) throw new Error(`a scrape failed: ${failure}`);
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        scrapes: sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1],
        retries,
      };
    },
    kill() {
      if (scraper.exitCode === null) scraper.kill();
    },
  };
}

// BENCH_CPU_PROFILE_DIR: write a V8 CPU profile of the exporter process there, to see what a stall was.
const profiling = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [];
// BENCH_EXPORTER_NODE_FLAGS: more Node/V8 flags for the exporter process (e.g. --trace-gc).
const extraFlags = (process.env.BENCH_EXPORTER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

/**
 * A real exporter in its own process (bench/exporter-process.ts) collects `collections` times back to
 * back while SCRAPERS clients in a third process (bench/scraper.ts) scrape /metrics as fast as they get
 * answers: asking for gzip (as Prometheus does), then for plain text, then both from a bare Node server
 * in the exporter's process sending the same bytes, each during `collections` collections of its own.
 * Then the same four with the scrapes paced at PACED_RATE per second. The event-loop delay and RSS are
 * the exporter process's alone, the worst of the phases.
 */
export async function scrapeDuringCollection(databaseUrl: string, collections: number, statementTimeoutMs: number): Promise<ScrapeResult> {
  const exporter = forkExporter([databaseUrl, String(statementTimeoutMs)], ['--expose-gc', ...profiling, ...extraFlags]);
  try {
    const { url } = await nextMessage<{ url: string }>(exporter, (m) => typeof m === 'object' && m !== null && 'url' in m);
    const gzip = await scrapePhase(exporter, url, 'gzip', collections);
    const plain = await scrapePhase(exporter, url, 'identity', collections);
    const pacedGzip = await scrapePhase(exporter, url, 'gzip', 2 * collections, PACED_RATE);
    const pacedPlain = await scrapePhase(exporter, url, 'identity', 2 * collections, PACED_RATE);
    const bareUrl = nextMessage<{ bareUrl: string }>(exporter, (m) => typeof m === 'object' && m !== null && 'bareUrl' in m);
    exporter.send('bare');
    const { bareUrl: bareAt } = await bareUrl;
    const bare = await scrapePhase(exporter, bareAt, 'identity', collections);
    const bareGzip = await scrapePhase(exporter, bareAt, 'gzip', collections);
    const pacedBare = await scrapePhase(exporter, bareAt, 'identity', 2 * collections, PACED_RATE);
    const pacedBareGzip = await scrapePhase(exporter, bareAt, 'gzip', 2 * collections, PACED_RATE);
    const live = nextMessage<{ liveHeapMb: number }>(exporter, (m) => typeof m === 'object' && m !== null && 'liveHeapMb' in m);
    exporter.send('live-heap');
    const { liveHeapMb } = await live;
    const phases = [gzip, plain, pacedGzip, pacedPlain, bare, bareGzip, pacedBare, pacedBareGzip].map((phase) => phase.report);
    const worst = (pick: (r: CollectionReport) => number) => Math.max(...phases.map(pick));
    return {
      ...gzip.report,
      maxStallMs: worst((r) => r.maxStallMs),
      maxOnCpuStallMs: worst((r) => r.maxOnCpuStallMs),
      rssMb: worst((r) => r.rssMb),
      heapMb: worst((r) => r.heapMb),
      ...gzip.latencies,
      liveHeapMb,
      collections,
      plain: plain.latencies,
      bare: bare.latencies,
      bareGzip: bareGzip.latencies,
      paced: { gzip: pacedGzip.latencies, plain: pacedPlain.latencies, bare: pacedBare.latencies, bareGzip: pacedBareGzip.latencies },
    };
  } finally {
    await stopExporter(exporter);
  }
}

/**
 * SCRAPERS clients scraping `url` with the given Accept-Encoding (back to back, or paced at `rate` per
 * second) while the exporter collects `collections` times.
 */
async function scrapePhase(
  exporter: ChildProcess,
  url: string,
  encoding: 'gzip' | 'identity',
  collections: number,
  rate = 0,
): Promise<{ report: CollectionReport; latencies: Latencies }> {
  const scrapers = await startScrapers(url, encoding, rate);
  try {
    const collected = nextMessage<CollectionReport>(exporter, (m) => typeof m === 'object' && m !== null && 'collectionMs' in m);
    exporter.send({ collect: collections });
    const report = await collected;
    return { report, latencies: await scrapers.stop() };
  } finally {
    scrapers.kill();
  }
}

export interface SteadyScrapeResult extends Latencies {
  rounds: number;
  /** Mean of the collections, each after one interval's writes. */
  collectionMs: number;
  maxStallMs: number;
  maxOnCpuStallMs: number;
  /** The same scrapes paced at PACED_RATE per second, during as many rounds again. */
  paced: Latencies;
}

/**
 * The scrapes of the steady state: an exporter as it runs by default (whole reads every
 * COLLECT_FULL_INTERVAL_SECONDS, incremental ones between), collecting `rounds` times, each after one
 * collection interval's writes at the seeded rate (bench/steady-state.ts), while SCRAPERS clients scrape
 * /metrics asking for gzip back to back; then as many rounds again with the scrapes paced.
 */
export async function scrapeDuringSteadyState(
  databaseUrl: string,
  pool: pg.Pool,
  scale: Scale,
  rounds: number,
  statementTimeoutMs: number,
): Promise<SteadyScrapeResult> {
  const exporter = forkExporter([databaseUrl, String(statementTimeoutMs)], [], { BENCH_COLLECT_FULL_INTERVAL_SECONDS: '600' });
  try {
    const { url } = await nextMessage<{ url: string }>(exporter, (m) => typeof m === 'object' && m !== null && 'url' in m);
    const saturated = await steadyRounds(exporter, url, pool, scale, rounds, 0);
    const paced = await steadyRounds(exporter, url, pool, scale, rounds, PACED_RATE);
    const reports = [...saturated.reports, ...paced.reports];
    return {
      rounds,
      collectionMs: reports.reduce((sum, r) => sum + r.collectionMs, 0) / reports.length,
      maxStallMs: Math.max(...reports.map((r) => r.maxStallMs)),
      maxOnCpuStallMs: Math.max(...reports.map((r) => r.maxOnCpuStallMs)),
      ...saturated.latencies,
      paced: paced.latencies,
    };
  } finally {
    await stopExporter(exporter);
  }
}

/** `rounds` of one interval's writes then one collection, while scrapers (back to back, or paced at `rate`) ask for gzip. */
async function steadyRounds(
  exporter: ChildProcess,
  url: string,
  pool: pg.Pool,
  scale: Scale,
  rounds: number,
  rate: number,
): Promise<{ reports: CollectionReport[]; latencies: Latencies }> {
  const scrapers = await startScrapers(url, 'gzip', rate);
  try {
    const { syncs, ruleRuns } = intervalWrites(scale);
    const reports: CollectionReport[] = [];
    for (let round = 0; round < rounds; round++) {
      await writeOneInterval(pool, Date.now(), syncs, ruleRuns);
      const collected = nextMessage<CollectionReport>(exporter, (m) => typeof m === 'object' && m !== null && 'collectionMs' in m);
      exporter.send({ collect: 1 });
      reports.push(await collected);
    }
    return { reports, latencies: await scrapers.stop() };
  } finally {
    scrapers.kill();
  }
}
