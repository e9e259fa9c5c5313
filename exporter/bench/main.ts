import os from 'node:os';
import { applyCoreFixture, migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';
import { parseArgs, type Scale } from './args';
import { AUDIT_REQUESTS, EXPORT_MAX_MS, EXPORT_MAX_ROWS, MAX_DEPTH_PAGES, measureAudit, PAGE_LIMIT, type AuditResult } from './audit';
import { timeCollectors, timeFullCollection, type CollectorTiming } from './collection';
import { benchDatabase } from './database';
import { measureMaintenance, type MaintenanceFigures } from './maintenance';
import { measureOverload, overloadReport } from './overload';
import { note } from '../src/util/progress';
import {
  PACED_RATE,
  scrapeDuringCollection,
  scrapeDuringSteadyState,
  SCRAPERS,
  type Latencies,
  type ScrapeResult,
  type SteadyScrapeResult,
} from './scrape';
import { seed } from './seed';
import { measureShards, SHARD_COLLECTIONS, type ShardFigures } from './shards';
import { timeSteadyState, type SteadyStateFigures } from './steady-state';
import { measureStatus, STATUS_CLIENTS, type StatusResult } from './status';
import { count, mb, ms, table, verdict } from './table';

// Above the exporter's default of 10 s: before the first rollup the rule counters read the whole raw history.
const STATEMENT_TIMEOUT_MS = 120_000;
// The steady state runs as the exporter does by default.
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
const STEADY_SCRAPE_ROUNDS = 8;

/** Prints a section's raw figures (stderr) as soon as they are measured: a long run that fails later keeps them. */
function kept<T>(section: string, value: T): T {
  note(`${section}: ${JSON.stringify(value)}`);
  return value;
}

async function main(): Promise<void> {
  const scale = parseArgs(process.argv.slice(2));
  const db = await benchDatabase();
  const pool = createPool(db.url, { max: 8, applicationName: 'aperio-bench' });
  try {
    await applyCoreFixture(pool);
    await migrate(pool);
    const tenants = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Organization"`)).rows[0].n;
    if (scale.reuse && !process.env.BENCH_DATABASE_URL)
      throw new Error('--reuse needs BENCH_DATABASE_URL: the embedded server is thrown away after each run');
    if (scale.reuse && tenants !== scale.tenants)
      throw new Error(`--reuse: the bench database has ${tenants} tenants, not the ${scale.tenants} of --scale ${scale.name}`);
    if (!scale.reuse && tenants > 0)
      throw new Error('the bench database already has tenants: point BENCH_DATABASE_URL at an empty scratch database, or pass --reuse');
    const version = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    const now = Date.now();
    let seedMs: number | null = null;
    if (scale.reuse) note(`measuring the ${scale.name} dataset an earlier run seeded into ${db.description}`);
    else {
      note(`seeding the ${scale.name} dataset into ${db.description}`);
      const started = performance.now();
      await seed(pool, scale, now);
      seedMs = performance.now() - started;
    }

    let before: CollectorTiming[] | null = null;
    if (scale.timeBeforeRollup) {
      note('timing the collectors on the raw history (before any rollup)');
      before = kept('before', await timeCollectors(pool, now, 1, STATEMENT_TIMEOUT_MS));
    }
    note('maintenance: rollups, 90-day report, retention');
    const maintenance = kept('maintenance', await measureMaintenance(pool, now));
    note('timing the collectors after maintenance');
    const after = kept('after', await timeCollectors(pool, now, scale.repeats, STATEMENT_TIMEOUT_MS));
    const fullCollectionMs = kept('fullCollectionMs', await timeFullCollection(pool, now, STATEMENT_TIMEOUT_MS));
    note('steady state: one interval of writes, then one collection, repeated');
    // At 10x a whole read of rules or connectors outlasts the default timeout: that scale needs a larger
    // STATEMENT_TIMEOUT_MS, and the steady state is measured with the bench's.
    const steadyTimeoutMs = scale.timeBeforeRollup ? DEFAULT_STATEMENT_TIMEOUT_MS : STATEMENT_TIMEOUT_MS;
    const steady = kept('steady', await timeSteadyState(pool, scale, now, steadyTimeoutMs));
    let shards: ShardFigures[] = [];
    if (scale.shards > 0) {
      note(`${scale.shards} shards collecting every tenant, one after the other`);
      shards = kept('shards', await measureShards(db.url, scale.shards, STATEMENT_TIMEOUT_MS, 'whole'));
      // The default timeout: the shards' own reads are slices of 50,000 objects at most.
      note(`${scale.shards} shards collecting their own tenants and the platform replica, one after the other`);
      shards.push(...kept('ownShards', await measureShards(db.url, scale.shards, DEFAULT_STATEMENT_TIMEOUT_MS, 'own')));
    }
    note(`scraping /metrics with ${SCRAPERS} clients during ${scale.scrapeCollections} collections`);
    const scrape = kept('scrape', await scrapeDuringCollection(db.url, scale.scrapeCollections, STATEMENT_TIMEOUT_MS));
    note(`scraping /metrics with ${SCRAPERS} clients during steady-state collections`);
    const steadyScrape = kept('steadyScrape', await scrapeDuringSteadyState(db.url, pool, scale, STEADY_SCRAPE_ROUNDS, steadyTimeoutMs));
    note('audit API: rule-run pages and exports');
    const audit = kept('audit', await measureAudit(pool, db.url, now, STATEMENT_TIMEOUT_MS));
    note(`/status.json with ${STATUS_CLIENTS} clients, counting database transactions`);
    const status = kept('status', await measureStatus(pool, db.url, STATEMENT_TIMEOUT_MS));
    note('overload: 200 API clients and 20 exports while the exporter collects');
    const overload = kept('overload', await measureOverload(pool, db.url, STATEMENT_TIMEOUT_MS));
    process.stdout.write(report(scale, version, db.description, seedMs, before, after, fullCollectionMs, maintenance, scrape));
    process.stdout.write(steadyStateReport(steady, steadyTimeoutMs, steadyScrape) + shardsReport(shards));
    process.stdout.write(auditReport(audit) + statusReport(status) + overloadReport(overload));
  } finally {
    await pool.end();
    await db.stop();
  }
}

function report(
  scale: Scale,
  pgVersion: string,
  database: string,
  seedMs: number | null,
  before: CollectorTiming[] | null,
  after: CollectorTiming[],
  fullCollectionMs: number,
  m: MaintenanceFigures,
  s: ScrapeResult,
): string {
  const cpus = os.cpus();
  // Below 10 ms of SQL the fixed cost of the transaction (BEGIN, SET, COMMIT: three round trips) dominates the ratio.
  const measurable = after.filter((t) => t.rawSqlMs >= 10);
  const worstRatio = Math.max(...measurable.map((t) => t.collectMs / t.rawSqlMs));
  const lines = [
    `\n## aperio bench, scale ${scale.name}`,
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; Node ${process.version}; PostgreSQL ${pgVersion}`,
    `dataset: ${count(scale.tenants)} tenants, ${count(scale.connectors)} connectors, ${count(scale.destinations)} SIEM destinations, ` +
      `${count(scale.openJobs)} open ingestion jobs, ${count(scale.ruleRuns)} RuleRun rows, ${count(scale.syncRuns)} ConnectorSyncRun rows over ${scale.days} days ` +
      (seedMs === null ? '(seeded by an earlier run: --reuse)' : `(seeded in ${(seedMs / 1000).toFixed(0)} s)`),
    `database: ${database}`,
    '',
    'Collection per collector (each alone, median), next to the same SQL sent directly:',
    '',
    table(
      ['collector', 'rows', 'collect ms', 'raw SQL ms', 'ratio', 'before rollup: collect ms', 'raw SQL ms'],
      after.map((t, i) => [
        t.collector,
        count(t.rows),
        ms(t.collectMs),
        ms(t.rawSqlMs),
        (t.collectMs / t.rawSqlMs).toFixed(2),
        before ? ms(before[i].collectMs) : 'not timed',
        before ? ms(before[i].rawSqlMs) : '',
      ]),
    ),
    '',
    `Full collection (all collectors at once): ${ms(fullCollectionMs)} ms.`,
    '',
    table(
      ['figure', 'value', 'target', ''],
      [
        ['collection / raw SQL (worst collector over 10 ms)', `${worstRatio.toFixed(2)}x`, '<= 1.3x', verdict(worstRatio <= 1.3)],
        latencyRow(`/metrics gzip, ${SCRAPERS} scrapers back to back during collection`, s, 5),
        latencyRow('/metrics plain text, the same', s.plain, 20),
        latencyRow('bare Node server in the same process, same bytes: plain text', s.bare),
        latencyRow('the bare server asked for gzip', s.bareGzip),
        latencyRow(`/metrics gzip, scrapes paced at ${PACED_RATE}/s during collection`, s.paced.gzip, 5),
        latencyRow('/metrics plain text, paced', s.paced.plain, 20),
        latencyRow('bare server, plain text, paced', s.paced.bare),
        latencyRow('bare server, gzip, paced', s.paced.bareGzip),
        ['gzip p99 / bare gzip p99', `${(s.p99Ms / s.bareGzip.p99Ms).toFixed(2)}x`, '', ''],
        ['plain text p99 / bare p99', `${(s.plain.p99Ms / s.bare.p99Ms).toFixed(2)}x`, '<= 2x', verdict(s.plain.p99Ms <= 2 * s.bare.p99Ms)],
        [
          'paced: gzip p99 / bare, plain p99 / bare',
          `${(s.paced.gzip.p99Ms / s.paced.bareGzip.p99Ms).toFixed(2)}x, ${(s.paced.plain.p99Ms / s.paced.bare.p99Ms).toFixed(2)}x`,
          '<= 2x',
          verdict(s.paced.plain.p99Ms <= 2 * s.paced.bare.p99Ms),
        ],
        [
          'longest event-loop stall',
          `${ms(s.maxStallMs)} ms (at most ${ms(s.maxOnCpuStallMs)} ms of CPU time in one)`,
          '< 50 ms',
          verdict(s.maxStallMs < 50),
        ],
        [
          'RSS of the exporter process (peak)',
          `${s.rssMb.toFixed(0)} MB (heap ${s.heapMb.toFixed(0)} MB; ${s.liveHeapMb.toFixed(0)} MB live after a full GC)`,
          '< 300 MB',
          verdict(s.rssMb < 300),
        ],
        [
          'series',
          `${count(s.series)} at ${s.detail} detail${s.limited ? ' (series limit 200,000 hit: object detail fell back)' : ''}`,
          '',
          '',
        ],
        ['/metrics bytes', `${mb(s.plainBytes)} MB plain, ${mb(s.gzipBytes)} MB gzip (OpenMetrics ${mb(s.openMetricsBytes)} MB)`, '', ''],
        ['collection + rendering in the exporter', `${ms(s.collectionMs)} ms (mean of ${s.collections})`, '', ''],
      ],
    ),
    '',
    'Maintenance:',
    '',
    table(
      ['step', 'value'],
      [
        [
          seedMs === null ? 'rollup of what an earlier run left (--reuse)' : 'first rollup of the whole history',
          `${(m.firstRollupMs / 1000).toFixed(1)} s (${count(m.rolledHours)} table-hours)`,
        ],
        [
          'retention (7/30/90-day tenants)',
          `${(m.retentionMs / 1000).toFixed(1)} s, ${count(m.rowsDeleted)} rows deleted, ${m.partitionsDropped} partitions dropped`,
        ],
        ['steady-state maintenance run (nothing left to roll or delete)', `${ms(m.steadyRunMs)} ms`],
        [`90-day per-tenant report (${count(m.rangeTenants)} tenants) from rollups`, `${ms(m.rollupQueryMs)} ms`],
        ['same report from raw RuleRun rows', `${ms(m.rawQueryMs)} ms`],
        [
          'rollup answer equals raw answer',
          // An earlier run's retention deleted raw rows that the rollups keep: the raw report is short of them.
          seedMs === null
            ? `${m.sameAnswer ? 'yes' : 'no'} (not comparable with --reuse: an earlier retention deleted raw rows)`
            : m.sameAnswer
              ? 'yes'
              : 'NO',
        ],
        ['rollup answer unchanged after retention deleted raw rows', m.sameAnswerAfterRetention ? 'yes' : 'NO'],
      ],
    ),
    '',
  ];
  return lines.join('\n');
}

function auditReport(a: AuditResult): string {
  const lists = a.lists.map((l) => {
    const ratio = l.deepP50Ms / l.firstP50Ms;
    const worstP95 = Math.max(l.firstP95Ms, l.deepP95Ms);
    return [
      l.role,
      `${ms(l.firstP50Ms)} / ${ms(l.firstP95Ms)}`,
      `${count(l.depthRows)} rows`,
      `${ms(l.deepP50Ms)} / ${ms(l.deepP95Ms)}`,
      `${ratio.toFixed(2)}x`,
      `${verdict(worstP95 < 25)} / ${verdict(ratio < 1.5)}`,
    ];
  });
  const exports = a.exports.map((e) => {
    const seconds = e.ms / 1000;
    const growth = e.rssPeakMb - e.rssBeforeMb;
    const secondHalf = e.rssPeakMb - e.rssHalfMb;
    return [
      e.label,
      e.format,
      `${count(e.rows)}${e.cut ? ' (bound)' : ''}`,
      `${(e.bytes / 2 ** 20).toFixed(1)} MB in ${seconds.toFixed(2)} s`,
      count(Math.round(e.rows / seconds)),
      (e.bytes / 2 ** 20 / seconds).toFixed(1),
      `${e.rssBeforeMb.toFixed(0)} -> ${e.rssPeakMb.toFixed(0)} MB (+${growth.toFixed(0)})`,
      `+${secondHalf.toFixed(0)} MB`,
      verdict(secondHalf < 16),
    ];
  });
  return [
    '',
    `Audit API (\`GET /api/v1/rule-runs\`, limit ${PAGE_LIMIT}), tenant ${a.tenant} (${count(a.tenantRows)} of ${count(a.allRows)} RuleRun rows, the most of any tenant); ` +
      `${AUDIT_REQUESTS} sequential requests per position, ms; deep = after following \`links.next\` up to ${MAX_DEPTH_PAGES} pages:`,
    '',
    table(['token', 'page 1 p50 / p95', 'depth', 'deep p50 / p95', 'deep / page 1 (p50)', 'p95 < 25 ms / ratio < 1.5'], lists),
    '',
    `Export (\`GET /api/v1/rule-runs/export\`, whole history; bound ${count(EXPORT_MAX_ROWS)} rows or ${EXPORT_MAX_MS / 1000} s), RSS of the exporter's process ` +
      '(flat memory: once the first batches have warmed the heap up, the second half of the rows adds nothing):',
    '',
    table(
      ['scope', 'format', 'rows', 'size', 'rows/s', 'MB/s', 'RSS before -> peak', 'growth in the 2nd half of the rows', '< 16 MB'],
      exports,
    ),
    '',
  ].join('\n');
}

function statusReport(s: StatusResult): string {
  return [
    '',
    `Status (\`/status.json\`, ${STATUS_CLIENTS} clients in a separate process for ${s.seconds} s, collector timer stopped):`,
    '',
    table(
      ['figure', 'value', 'target', ''],
      [
        ['requests/s', count(Math.round(s.requests / s.seconds)), '', ''],
        ['p50 / p99', `${ms(s.p50Ms)} / ${ms(s.p99Ms)} ms (${count(s.requests)} requests)`, '', ''],
        ['body: plain / gzip (asked for, cached per snapshot)', `${count(s.plainBytes)} / ${count(s.gzipBytes)} bytes`, '', ''],
        [
          'bare Node server sending the same bytes: requests/s, p50 / p99',
          `${count(Math.round(s.bare.requests / s.seconds))}, ${ms(s.bare.p50Ms)} / ${ms(s.bare.p99Ms)} ms`,
          '',
          '',
        ],
        [
          "exporter requests/s as a share of the bare server's",
          `${((100 * s.requests) / Math.max(1, s.bare.requests)).toFixed(0)} %`,
          '',
          '',
        ],
        ["queries from the exporter's pool during the load", count(s.poolQueries), '0', verdict(s.poolQueries === 0)],
        [
          'database transactions during the load (pg_stat_database)',
          `${count(s.transactions)} (idle control period: ${count(s.idleTransactions)})`,
          '0',
          verdict(s.transactions === 0),
        ],
      ],
    ),
    '',
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

function steadyStateReport(s: SteadyStateFigures, timeoutMs: number, scrape: SteadyScrapeResult): string {
  return [
    '',
    `Steady state (the serving exporter's collectors after a first full read; each round writes one 15 s interval at the seeded rate, ` +
      `${count(s.syncsPerInterval)} syncs and ${count(s.ruleRunsPerInterval)} rule runs, then collects once; statement_timeout ${count(timeoutMs)} ms):`,
    '',
    table(
      ['figure', 'value', 'target', ''],
      [
        [
          `whole collection, median / max of ${s.rounds - 1} rounds`,
          `${ms(s.medianMs)} / ${ms(s.maxMs)} ms`,
          '<= 1,000 ms',
          verdict(s.maxMs <= 1000),
        ],
        [
          'whole collection right after a maintenance run',
          `${ms(s.afterMaintenanceMs)} ms`,
          '<= 1,000 ms',
          verdict(s.afterMaintenanceMs <= 1000),
        ],
        ...s.collectors.map((c) => [`${c.collector} (median)`, `${ms(c.medianMs)} ms`, '', '']),
        latencyRow(
          `/metrics gzip, ${SCRAPERS} scrapers back to back, a serving exporter collecting after each of ${scrape.rounds} intervals' writes`,
          scrape,
          5,
        ),
        latencyRow(`the same, scrapes paced at ${PACED_RATE}/s, ${scrape.rounds} more rounds`, scrape.paced, 5),
        ['collection + rendering in the serving exporter (mean)', `${ms(scrape.collectionMs)} ms`, '', ''],
        [
          'longest event-loop stall meanwhile',
          `${ms(scrape.maxStallMs)} ms (at most ${ms(scrape.maxOnCpuStallMs)} ms of CPU time in one)`,
          '',
          '',
        ],
      ],
    ),
    '',
  ].join('\n');
}

/** A table row of scrape latencies: p50 / p99 / max, with a p99 target when one is set. */
function latencyRow(label: string, l: Latencies, p99TargetMs?: number): string[] {
  const retried = l.retries > 0 ? `, ${count(l.retries)} sent again after a closed keep-alive connection` : '';
  const value = `${ms(l.p50Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)} ms (${count(l.scrapes)} scrapes${retried})`;
  return p99TargetMs === undefined
    ? [`${label}: p50 / p99 / max`, value, '', '']
    : [`${label}: p50 / p99 / max`, value, `p99 <= ${p99TargetMs} ms`, verdict(l.p99Ms <= p99TargetMs)];
}

function shardsReport(shards: ShardFigures[]): string {
  if (shards.length === 0) return '';
  return [
    '',
    `Shards (SHARD, TOTAL_SHARDS, SHARD_COLLECTION), each started alone with the default intervals: its start (a whole read), then ${SHARD_COLLECTIONS} collections 15 s apart:`,
    '',
    table(
      [
        'shard',
        'collects',
        'start (whole read)',
        'RSS at start',
        'collection: median / max',
        'RSS (peak)',
        'series',
        'fits 15 s, RSS < 500 MB',
      ],
      shards.map((s) => [
        s.shard === 'platform' ? `platform (beside ${s.total} shards)` : `${s.shard} of ${s.total}`,
        s.collection === 'own' ? 'its tenants' : 'every tenant',
        `${ms(s.readyMs)} ms`,
        `${s.readyRssMb.toFixed(0)} MB`,
        `${ms(s.medianMs)} / ${ms(s.maxMs)} ms`,
        `${s.rssMb.toFixed(0)} MB`,
        `${count(s.series)} at ${s.detail} detail`,
        verdict(s.maxMs <= 15_000 && Math.max(s.rssMb, s.readyRssMb) < 500),
      ]),
    ),
    '',
  ].join('\n');
}
