import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { exporterFamilies, type VerifyStatus } from '../server/self-metrics';
import type { Snapshot } from '../snapshot/types';
import { DOMAIN_FAMILIES, scopeOf } from './catalogue';
import { renderFamily, type LevelPass } from './detail-lines';
import { renderHeader, type Format } from './exposition';
import { DETAILS, TENANT_LABEL, type Detail, type MetricFamily, type Sample } from './family';
import type { ProcessRegistries } from './process-registry';
import { exposedTenants, UNSHARDED_ROLE, type ShardRole } from './shard';
import { slicer } from '../util/time-slices';

const gzip = promisify(zlib.gzip);

export interface RenderedBody {
  body: Buffer;
  gzip: Buffer;
}

export interface RenderedMetrics {
  formats: Record<Format, RenderedBody>;
  series: number;
  detail: Detail;
  limited: boolean;
  /** The finest detail that fit the budget in this rendering: where the next one starts. */
  nextStartAt: Detail;
  renderedAt: number;
}

export interface RenderOptions {
  detail: Detail;
  seriesLimit: number;
  /** The previous rendering's `nextStartAt`; the requested detail when absent. */
  startAt?: Detail;
  processRegistries?: ProcessRegistries;
  families?: MetricFamily[];
  verify?: VerifyStatus | null;
  /** SHARD, TOTAL_SHARDS and SHARD_COLLECTION (docs/sharding.md); unsharded when absent. */
  role?: ShardRole;
}

function* ofTenants(family: MetricFamily, samples: Iterable<Sample>, mine: (tenant: string) => boolean): Generator<Sample> {
  for (const sample of samples) {
    const tenant = sample.labels[TENANT_LABEL];
    if (tenant === undefined)
      throw new Error(`${family.name} is classified per tenant (src/metrics/catalogue.ts) but has a sample without a tenant label`);
    if (mine(tenant)) yield sample;
  }
}

/**
 * The details to try, finest first. Sharded, the budget never falls back to `platform`: without the
 * tenant label, shards would each expose a partial sum under the same series (settings refuse
 * METRICS_DETAIL=platform with shards).
 */
function detailOrder(detail: Detail, role: ShardRole): Detail[] {
  const order = DETAILS.slice(DETAILS.indexOf(detail));
  return role.total > 1 && order.length > 1 ? order.filter((d) => d !== 'platform') : order;
}

/**
 * Per-tenant families are exposed by every shard (not by the platform replica), platform-wide ones by
 * the replica the role names (shard 0, or the platform replica), the replica's own by every replica.
 */
function exposedHere(family: MetricFamily, role: ShardRole): boolean {
  const scope = scopeOf(family);
  return scope === 'replica' || (scope === 'tenant' ? role.tenants !== null : role.platformFamilies);
}

/** The samples of a family this replica exposes: of a per-tenant family, those of its own tenants. */
function shardSamples(family: MetricFamily, snapshot: Snapshot, role: ShardRole, mine: (tenant: string) => boolean): Iterable<Sample> {
  return scopeOf(family) === 'tenant' && role.total > 1 ? ofTenants(family, family.samples(snapshot), mine) : family.samples(snapshot);
}

/**
 * Renders the snapshot once into both exposition formats, plain and gzipped, so that a scrape only
 * writes cached bytes. Rendering a large snapshot takes hundreds of milliseconds of CPU: it is cut
 * into time slices (util/time-slices.ts), so scrapes of the previous rendering are answered meanwhile.
 *
 * The detail is the finest from the requested one down (object → tenant → platform) whose series fit
 * the budget; aperio_exporter_series_limited says when it is not the requested one. Only one level is
 * written per pass: the one the previous rendering found to fit (`startAt`), with the finer ones only
 * counted so that a dataset that shrank gets its finer detail back at the next rendering. A level that
 * goes over the budget ends its pass early and the next coarser one is rendered instead.
 */
export async function renderMetrics(snapshot: Snapshot, options: RenderOptions): Promise<RenderedMetrics> {
  const families = options.families ?? DOMAIN_FAMILIES;
  const pause = slicer();
  const role = options.role ?? UNSHARDED_ROLE;
  const mine = exposedTenants(role);
  const order = detailOrder(options.detail, role);
  let primary = Math.max(0, order.indexOf(options.startAt ?? options.detail));
  let levels: LevelPass[];
  for (;;) {
    const coarsest = primary === order.length - 1;
    levels = order.slice(0, primary + 1).map((detail, i) => ({
      detail,
      mode: i === primary ? 'lines' : 'count',
      budget: i === primary && coarsest ? Infinity : options.seriesLimit,
      series: 0,
      over: false,
      families: [],
    }));
    const written = levels[primary];
    for (const family of families.filter((f) => exposedHere(f, role))) {
      await family.prepare?.(snapshot, pause);
      await renderFamily(family, shardSamples(family, snapshot, role, mine), levels, pause);
      if (written.over) break;
    }
    if (!written.over) break;
    primary += 1;
  }
  const chosen = levels[primary];
  const limited = chosen.detail !== options.detail;
  const fits = levels.find((level) => !level.over)!;

  const self: LevelPass = { detail: 'object', mode: 'lines', budget: Infinity, series: 0, over: false, families: [] };
  const selfFamilies = exporterFamilies({ series: chosen.series, detail: chosen.detail, limited, verify: options.verify, role });
  for (const family of selfFamilies.filter((f) => exposedHere(f, role))) {
    await renderFamily(family, shardSamples(family, snapshot, role, mine), [self], pause);
  }
  const blocks = [...chosen.families, ...self.families];

  const formats = {} as Record<Format, RenderedBody>;
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const out: Buffer[] = [];
    for (const { family, chunks } of blocks) out.push(Buffer.from(renderHeader(family, format)), ...chunks);
    const processText = options.processRegistries ? await options.processRegistries[format].metrics() : '';
    out.push(Buffer.from(format === 'openmetrics' ? processText.replace(/# EOF\n?$/, '') : processText));
    if (format === 'openmetrics') out.push(Buffer.from('# EOF\n'));
    const body = Buffer.concat(out);
    formats[format] = { body, gzip: await gzip(body) };
    await pause();
  }
  return { formats, series: chosen.series, detail: chosen.detail, limited, nextStartAt: fits.detail, renderedAt: Date.now() };
}
