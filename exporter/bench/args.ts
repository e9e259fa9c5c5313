/**
 * The bench's dataset sizes. `full` is the scale the README's targets are stated for; `small` is ~1/20;
 * `10x` is ten times `full`.
 */
export interface Scale {
  name: 'full' | 'small' | '10x';
  tenants: number;
  connectors: number;
  destinations: number;
  openJobs: number;
  ruleRuns: number;
  syncRuns: number;
  /** Days of history the run rows are spread over. */
  days: number;
  /** How many times each collector and its raw SQL are timed (the median is reported). */
  repeats: number;
  /** Collections triggered while the scrapers run. */
  scrapeCollections: number;
  /**
   * Whether the collectors are also timed on the raw history before the first rollup. At 10x the rule
   * counters would read 100 million raw rows, minutes past any statement timeout: a deployment of that
   * size gets its first rollup before it serves (`aperio-exporter maintenance`).
   */
  timeBeforeRollup: boolean;
  /** Shards started one after the other, each measured alone (0: none). */
  shards: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  full: {
    name: 'full',
    tenants: 2_000,
    connectors: 40_000,
    destinations: 4_000,
    openJobs: 200_000,
    ruleRuns: 10_000_000,
    syncRuns: 2_000_000,
    days: 30,
    repeats: 3,
    scrapeCollections: 3,
    timeBeforeRollup: true,
    shards: 0,
  },
  small: {
    name: 'small',
    tenants: 100,
    connectors: 2_000,
    destinations: 200,
    openJobs: 10_000,
    ruleRuns: 500_000,
    syncRuns: 100_000,
    days: 30,
    repeats: 5,
    scrapeCollections: 5,
    timeBeforeRollup: true,
    shards: 0,
  },
  '10x': {
    name: '10x',
    tenants: 20_000,
    connectors: 400_000,
    destinations: 40_000,
    openJobs: 2_000_000,
    ruleRuns: 100_000_000,
    syncRuns: 20_000_000,
    days: 30,
    repeats: 1,
    scrapeCollections: 1,
    timeBeforeRollup: false,
    shards: 4,
  },
};

export function parseArgs(argv: string[]): Scale {
  let name: string = 'full';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--scale') name = argv[++i] ?? '';
    else if (arg.startsWith('--scale=')) name = arg.slice('--scale='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'usage: npm run bench -- [--scale full|small|10x]\n  BENCH_DATABASE_URL: an empty scratch database to use instead of an embedded server\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  if (!Object.hasOwn(SCALES, name)) throw new Error(`--scale must be full, small or 10x, not ${JSON.stringify(name)}`);
  return SCALES[name as Scale['name']];
}
