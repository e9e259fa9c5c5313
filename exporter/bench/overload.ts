import { fork } from 'node:child_process';
import path from 'node:path';
import type pg from 'pg';
import { createToken } from '../src/auth/tokens';
import type { CollectionReport } from './exporter-process';
import { forkExporter, stopExporter } from './scrape';

/** How long the overload lasts, while the exporter collects back to back. */
const DURATION_MS = 30_000;

export interface OverloadResult {
  requests: number;
  statuses: Record<string, number>;
  fiveXxRatio: number;
  exports: { complete: number; incomplete: number; cut: number; refused: number };
  metricsP50Ms: number;
  metricsP99Ms: number;
  scrapes: number;
  rssPeakMb: number;
  collections: number;
  durationMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/**
 * A real exporter in its own process (bench/exporter-process.ts) collects back to back while the
 * overload process (bench/overload-load.ts) runs 200 API clients, 20 exports and two /metrics scrapers
 * against it. Every answer's status class is counted; RSS is the exporter process's own.
 */
export async function measureOverload(pool: pg.Pool, databaseUrl: string, statementTimeoutMs: number): Promise<OverloadResult> {
  const { rows } = await pool.query<{ slug: string }>(`SELECT slug FROM "Organization" ORDER BY slug LIMIT 20`);
  const tenants = await Promise.all(
    rows.map(async (r) => (await createToken(pool, { role: 'ADMIN', tenant: r.slug, name: 'bench overload' })).token),
  );
  const exporter = forkExporter([databaseUrl, String(statementTimeoutMs)], []);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      exporter.on('message', (m: { url?: string }) => m.url && resolve(m.url));
      exporter.once('exit', (code) => reject(new Error(`the exporter process exited with ${code}`)));
    });
    const load = fork(path.join(__dirname, 'overload-load.ts'), [url, JSON.stringify({ tenants }), String(DURATION_MS)], {
      execArgv: ['--import', 'tsx'],
    });
    let finished = false;
    const result = new Promise<{ statuses: Record<string, number>; exports: OverloadResult['exports']; scrapeLatencies: number[] }>(
      (resolve, reject) => {
        load.once('message', (m) => {
          finished = true;
          resolve(m as never);
        });
        load.once('exit', (code) => !finished && reject(new Error(`the overload process exited with ${code}`)));
      },
    );
    let rssPeakMb = 0;
    let collections = 0;
    while (!finished) {
      const report = await new Promise<CollectionReport>((resolve) => {
        const onMessage = (m: unknown) => {
          if (typeof m === 'object' && m !== null && 'collectionMs' in m) {
            exporter.off('message', onMessage);
            resolve(m as CollectionReport);
          }
        };
        exporter.on('message', onMessage);
        exporter.send({ collect: 1 });
      });
      rssPeakMb = Math.max(rssPeakMb, report.rssMb);
      collections += 1;
    }
    const { statuses, exports, scrapeLatencies } = await result;
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    const fiveXx = (statuses['5xx'] ?? 0) + (statuses['503'] ?? 0);
    const sorted = [...scrapeLatencies].sort((a, b) => a - b);
    return {
      requests,
      statuses,
      fiveXxRatio: requests ? fiveXx / requests : 0,
      exports,
      metricsP50Ms: percentile(sorted, 0.5),
      metricsP99Ms: percentile(sorted, 0.99),
      scrapes: sorted.length,
      rssPeakMb,
      collections,
      durationMs: DURATION_MS,
    };
  } finally {
    await stopExporter(exporter);
  }
}

/** The README's lines for the overload. */
export function overloadReport(o: OverloadResult): string {
  const share = (key: string) => `${o.statuses[key] ?? 0}`;
  return [
    '',
    `Overload (200 API clients and 20 tenant exports back to back for ${o.durationMs / 1000} s, 2 /metrics scrapers, the exporter collecting back to back; ${o.collections} collections):`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| requests answered | ${o.requests} (2xx ${share('2xx')}, 4xx ${share('4xx')}, 503 ${share('503')}, other 5xx ${share('5xx')}, network errors ${share('network')}) | |`,
    `| 5xx (503 included) | ${(o.fiveXxRatio * 100).toFixed(2)} % | 0 % |`,
    `| exports | ${o.exports.complete} complete, ${o.exports.incomplete} ended with an error line, ${o.exports.cut} cut, ${o.exports.refused} refused | none cut |`,
    `| /metrics p50 / p99 during the overload | ${o.metricsP50Ms.toFixed(1)} / ${o.metricsP99Ms.toFixed(1)} ms (${o.scrapes} scrapes) | |`,
    `| RSS of the exporter process (peak) | ${o.rssPeakMb.toFixed(0)} MB | |`,
    '',
  ].join('\n');
}
