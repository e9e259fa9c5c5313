import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { exporterFamilies, type VerifyStatus } from '../server/self-metrics';
import type { Snapshot } from '../snapshot/types';
import { DOMAIN_FAMILIES, scopeOf } from './catalogue';
import { renderFamily, type FamilyLines, type LevelPass } from './detail-lines';
import { renderHeader, type Format } from './exposition';
import { DETAILS, TENANT_LABEL, type Detail, type MetricFamily, type Sample } from './family';
import type { ProcessRegistries } from './process-registry';
import { exposedTenants, UNSHARDED_ROLE, type ShardRole } from './shard';
import { slicer } from '../util/time-slices';

const gzip = promisify(zlib.gzip);

/**
 * One format's bytes. The classic text format is one Buffer; OpenMetrics differs from it only in the
 * HELP/TYPE lines of counters and info families and in its last lines, so its parts are slices of the
 * classic body (no copy) with its own lines between them: a large rendering is held once, not twice.
 */
export interface RenderedBody {
  /** Written in order, `length` bytes in all. */
  parts: Buffer[];
  length: number;
  gzip: Buffer;
}

/** The body as one Buffer (a copy only for a format in several parts). */
export const wholeBody = (rendered: RenderedBody): Buffer =>
  rendered.parts.length === 1 ? rendered.parts[0] : Buffer.concat(rendered.parts, rendered.length);

/** gzip of a body in parts, without joining them first: the same bytes as gzip of the joined body. */
function gzipParts(parts: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stream = zlib.createGzip();
    const out: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(out)));
    stream.on('error', reject);
    for (const part of parts) stream.write(part);
    stream.end();
  });
}

/**
 * Both formats from the families' sample lines, which are the same in both: the classic body joined
 * once, OpenMetrics as slices of it around its own HELP/TYPE lines.
 */
function assemble(blocks: FamilyLines[], processText: Record<Format, string>): Record<Format, { parts: Buffer[]; length: number }> {
  const classic: Buffer[] = [];
  const open: (Buffer | { start: number; end: number })[] = [];
  let offset = 0;
  const shared = (bytes: Buffer) => {
    classic.push(bytes);
    const last = open[open.length - 1];
    if (last && !Buffer.isBuffer(last) && last.end === offset) last.end += bytes.length;
    else open.push({ start: offset, end: offset + bytes.length });
    offset += bytes.length;
  };
  const apart = (classicBytes: string, openBytes: string) => {
    const bytes = Buffer.from(classicBytes);
    classic.push(bytes);
    offset += bytes.length;
    open.push(Buffer.from(openBytes));
  };
  for (const { family, chunks } of blocks) {
    const [classicHeader, openHeader] = [renderHeader(family, 'prometheus'), renderHeader(family, 'openmetrics')];
    if (classicHeader === openHeader) shared(Buffer.from(classicHeader));
    else apart(classicHeader, openHeader);
    for (const chunk of chunks) shared(chunk);
  }
  apart(processText.prometheus, `${processText.openmetrics.replace(/# EOF\n?$/, '')}# EOF\n`);
  const body = Buffer.concat(classic, offset);
  const openParts = open.map((piece) => (Buffer.isBuffer(piece) ? piece : body.subarray(piece.start, piece.end)));
  return {
    prometheus: { parts: [body], length: body.length },
    openmetrics: { parts: openParts, length: openParts.reduce((sum, part) => sum + part.length, 0) },
  };
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

  const registries = options.processRegistries;
  const processText = {
    prometheus: registries ? await registries.prometheus.metrics() : '',
    openmetrics: registries ? await registries.openmetrics.metrics() : '',
  };
  const bodies = assemble(blocks, processText);
  await pause();
  const formats = {} as Record<Format, RenderedBody>;
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const { parts, length } = bodies[format];
    formats[format] = { parts, length, gzip: parts.length === 1 ? await gzip(parts[0]) : await gzipParts(parts) };
    await pause();
  }
  return { formats, series: chosen.series, detail: chosen.detail, limited, nextStartAt: fits.detail, renderedAt: Date.now() };
}
