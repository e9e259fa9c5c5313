/** The bench's dataset sizes. `full` is the scale the README's targets are stated for; `small` is ~1/20. */
export interface Scale {
  name: 'full' | 'small';
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
        'usage: npm run bench -- [--scale full|small]\n  BENCH_DATABASE_URL: an empty scratch database to use instead of an embedded server\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  if (name !== 'full' && name !== 'small') throw new Error(`--scale must be full or small, not ${JSON.stringify(name)}`);
  return SCALES[name];
}
