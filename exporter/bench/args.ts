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
  /** Measure a database this scale was seeded into by an earlier run, instead of seeding an empty one. */
  reuse: boolean;
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
    reuse: false,
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
    reuse: false,
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
    reuse: false,
  },
};

const USAGE = `usage: npm run bench -- [--scale full|small|10x] [--days N] [--shards N] [--reuse]
  --days N    keep the scale's objects and run rate, with N days of run history instead of 30
              (the run rows shrink in proportion: 10x with 7 days needs about a quarter of the disk)
  --shards N  also measure N shards, one after the other, collecting every tenant and their own
              (with the platform replica) (0: none; 10x measures 4)
  --reuse     measure the database an earlier run seeded with the same --scale and --days
              (BENCH_DATABASE_URL) instead of seeding it again: a 10x seeding and first rollup take
              most of an hour; the report then has no seeding time and says what the rollup found left
  BENCH_DATABASE_URL: an empty scratch database to use instead of an embedded server
`;

export function parseArgs(argv: string[]): Scale {
  let name: string = 'full';
  let days: number | null = null;
  let shards: number | null = null;
  let reuse = false;
  const count = (flag: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (arg === '--scale') name = value() ?? '';
    else if (arg === '--days') days = count('--days', value(), 1);
    else if (arg === '--shards') shards = count('--shards', value(), 0);
    else if (arg === '--reuse') reuse = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]} (try --help)`);
  }
  if (!Object.hasOwn(SCALES, name)) throw new Error(`--scale must be full, small or 10x, not ${JSON.stringify(name)}`);
  const scale = SCALES[name as Scale['name']];
  const perDay = (rows: number) => Math.round((rows / scale.days) * (days ?? scale.days));
  return {
    ...scale,
    days: days ?? scale.days,
    ruleRuns: perDay(scale.ruleRuns),
    syncRuns: perDay(scale.syncRuns),
    shards: shards ?? scale.shards,
    reuse,
  };
}
