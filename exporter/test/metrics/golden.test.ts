import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { countBackgroundError, registerBackgroundTask } from '../../src/background/errors';
import { DOMAIN_FAMILIES } from '../../src/metrics/catalogue';
import type { Detail } from '../../src/metrics/family';
import { renderMetrics, wholeBody } from '../../src/metrics/render';
import { publishStats } from '../../src/monitors/stats';
import { exporterFamilies } from '../../src/server/self-metrics';
import { VERSION } from '../../src/server/version';
import { FIXED_VERIFY, fixedMonitorStats, fixedSnapshot } from '../helpers/fixed-snapshot';
import { describeWithTool } from '../helpers/tools';

/**
 * Golden exposition tests, the kube-state-metrics way: the fixed snapshot (test/helpers/fixed-snapshot.ts)
 * rendered to /metrics text and compared, family by family, with the committed text in golden/ (HELP,
 * TYPE, every label set and value), and at tenant and platform detail as whole files.
 *
 * A deliberate change to a family is recorded with
 *
 *     cd exporter && UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/metrics/golden
 *
 * which rewrites golden/ and families.json; review the diff before committing it. It is refused under CI=true.
 *
 * The goldens were checked by hand against the fixed input, e.g. (golden/families/…):
 *  - aperio_siem_deliveries_total{destination="d-splunk"} 125 = deliveriesOk 120 + deliveriesFail 5;
 *  - aperio_connector_last_sync_timestamp_seconds of c-okta-acme 1796039400 = 2026-11-30T12:00Z (1796040000) − 600 s;
 *  - aperio_connector_freshness: c-okta-acme-2 (2 h old) is stale, c-aws-globex (7 h) critical, c-github-globex never;
 *  - aperio_connector_freshness_threshold_seconds has no critical series for github (its error level is switched off);
 *  - aperio_connector_sync_duration_seconds{provider="okta"}: count 4 (3 + 1 timed syncs; the untimed one is only in
 *    aperio_connector_syncs_total), sum 67.5 s (0.5 + 2 + 20 + 45), le="1.0" 1, le="5.0" 2, le="30.0" 3, le="60.0" 4;
 *  - aperio_rule_run_duration_seconds{rule="mfa_disabled"}: le="0.05" 1 (40 ms), le="0.5" 2 (300 ms), le="120.0" 3 (70 s);
 *  - aperio_scheduled_run_missed: acme 1 connector (c-okta-acme-2 never served its hourly slot; c-okta-acme served
 *    11:00), 0 rules (mfa served 11:55, the watchlist 11:00; their 12:00 slots are still within their grace); globex 1 rule (mfa never ran), no connector series (none scheduled);
 *  - aperio_exporter_collect_success{collector="siem"} 0, and its last success 300 s before the others.
 * Process and runtime families (process_*, nodejs_*) are not rendered here (no process registries); the build
 * info's version and Node.js labels are normalised to <version> and <nodejs>.
 */
const GOLDEN = path.join(__dirname, 'golden');
const FAMILY_DIR = path.join(GOLDEN, 'families');
const FAMILIES_FILE = path.join(__dirname, 'families.json');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const UPDATE_COMMAND = 'cd exporter && UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/metrics/golden';

if (UPDATE && process.env.CI === 'true')
  throw new Error('UPDATE_GOLDEN=1 is refused under CI=true: golden files are updated on purpose, and reviewed');

// The background loops' error counts live in the process, not the snapshot: a fixed state of them too
// (three loops running here, the monitors' having failed twice).
for (const task of ['collector', 'monitors', 'status'] as const) registerBackgroundTask(task);
countBackgroundError('monitors');
countBackgroundError('monitors');

async function renderFixed(detail: Detail): Promise<string> {
  publishStats(fixedMonitorStats());
  try {
    const rendered = await renderMetrics(fixedSnapshot(), { detail, seriesLimit: 1_000_000, verify: FIXED_VERIFY });
    return wholeBody(rendered.formats.prometheus).toString('utf8');
  } finally {
    publishStats(null);
  }
}

const normalise = (text: string) =>
  text.replaceAll(`version="${VERSION}"`, 'version="<version>"').replaceAll(`nodejs="${process.version}"`, 'nodejs="<nodejs>"');

interface Block {
  /** The family as declared in its HELP and TYPE lines (with _total/_info in this format). */
  declared: string;
  type: string;
  text: string;
  labels: string[];
}

/** The exposition cut into its families: each HELP line starts one. */
function blocks(text: string): Map<string, Block> {
  const out = new Map<string, Block>();
  let current: Block | null = null;
  for (const line of text.split('\n').filter(Boolean)) {
    const help = /^# HELP (\S+) /.exec(line);
    if (help) {
      current = { declared: help[1], type: '', text: '', labels: [] };
      out.set(help[1], current);
    }
    if (!current) throw new Error(`exposition line before any HELP: ${line}`);
    current.text += `${line}\n`;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) current.type = type[2];
    if (!line.startsWith('#')) {
      for (const m of line.matchAll(/([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"/g))
        if (m[1] !== 'le' && !current.labels.includes(m[1])) current.labels.push(m[1]);
    }
  }
  for (const block of out.values()) block.labels.sort();
  return out;
}

/** [] when equal; else where they differ, with the command that records a deliberate change. */
function difference(file: string, expected: string, actual: string): string[] {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) lines.push(`line ${i + 1}: - ${want[i] ?? '(none)'}`, `line ${i + 1}: + ${got[i] ?? '(none)'}`);
  }
  return lines.length === 0
    ? []
    : [
        `${path.relative(path.join(__dirname, '..', '..'), file)} differs from the rendering of the fixed snapshot; if the change is intended: ${UPDATE_COMMAND}`,
        ...lines,
      ];
}

const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)');
const goldenFamilies = () =>
  fs.existsSync(FAMILY_DIR)
    ? fs
        .readdirSync(FAMILY_DIR)
        .filter((f) => f.endsWith('.prom'))
        .map((f) => f.slice(0, -'.prom'.length))
        .sort()
    : [];

const declaredName = (name: string, type: string) => (type === 'counter' ? `${name}_total` : type === 'info' ? `${name}_info` : name);
const catalogue = () => [...DOMAIN_FAMILIES, ...exporterFamilies({ series: 0, detail: 'object', limited: false, verify: FIXED_VERIFY })];
/** The families as the Prometheus text format declares them, from the catalogue (not from a rendering). */
const CATALOGUE_NAMES = catalogue()
  .map((f) => declaredName(f.name, f.type))
  .sort();

interface ListedFamily {
  /** As in the catalogue; `metric` is the name samples carry in the Prometheus text format. */
  name: string;
  metric: string;
  type: string;
  labels: string[];
}

/** Every family the exporter can expose, from the catalogue, with the labels the fixed snapshot gives it at object detail. */
function familyList(rendered: Map<string, Block>): ListedFamily[] {
  return catalogue().map((f) => ({
    name: f.name,
    metric: declaredName(f.name, f.type),
    type: f.type,
    labels: [...rendered.values()].find((b) => b.declared === declaredName(f.name, f.type))?.labels ?? [
      '(no samples in the fixed snapshot)',
    ],
  }));
}

describe('golden /metrics exposition of the fixed snapshot', () => {
  let objectText: string;
  let object: Map<string, Block>;
  beforeAll(async () => {
    objectText = normalise(await renderFixed('object'));
    object = blocks(objectText);
    if (UPDATE) {
      fs.rmSync(FAMILY_DIR, { recursive: true, force: true });
      fs.mkdirSync(FAMILY_DIR, { recursive: true });
      for (const [name, block] of object) fs.writeFileSync(path.join(FAMILY_DIR, `${name}.prom`), block.text);
      for (const detail of ['tenant', 'platform'] as const)
        fs.writeFileSync(path.join(GOLDEN, `detail-${detail}.prom`), normalise(await renderFixed(detail)));
      // One family a line, so that a diff of the file reads as the list of families that changed.
      fs.writeFileSync(
        FAMILIES_FILE,
        `[\n${familyList(object)
          .map((f) => `  ${JSON.stringify(f)}`)
          .join(',\n')}\n]\n`,
      );
      console.warn(
        `UPDATE_GOLDEN=1: rewrote ${path.relative(process.cwd(), GOLDEN)} and ${path.relative(process.cwd(), FAMILIES_FILE)}; review the diff`,
      );
    }
  });

  it('renders every family of the catalogue, each with a golden file, and no golden file of a family that is gone', () => {
    expect([...object.keys()].sort()).toEqual(CATALOGUE_NAMES);
    const files = goldenFamilies();
    const changes = [
      ...CATALOGUE_NAMES.filter((name) => !files.includes(name)).map((name) => `no golden file for ${name}`),
      ...files.filter((name) => !CATALOGUE_NAMES.includes(name)).map((name) => `golden file of a family that is gone: ${name}.prom`),
    ];
    expect(
      changes.length === 0
        ? []
        : [`golden/families does not match the catalogue; if the change is intended: ${UPDATE_COMMAND}`, ...changes],
    ).toEqual([]);
  });

  it('normalises only the build info labels that vary with the release and the runtime', () => {
    const raw = object.get('aperio_exporter_build_info')!.text;
    expect(raw).toContain('aperio_exporter_build_info{version="<version>",nodejs="<nodejs>"} 1');
    expect(objectText).not.toMatch(/^(process|nodejs)_/m);
  });

  it.each(CATALOGUE_NAMES)('%s matches its file in golden/families', (name) => {
    const file = path.join(FAMILY_DIR, `${name}.prom`);
    expect(difference(file, read(file), object.get(name)?.text ?? '(not rendered)')).toEqual([]);
  });

  it.each(['tenant', 'platform'] as const)('at %s detail matches its file in golden/', async (detail) => {
    const file = path.join(GOLDEN, `detail-${detail}.prom`);
    expect(difference(file, read(file), normalise(await renderFixed(detail)))).toEqual([]);
  });

  it('lists every exported family with its type and labels in families.json', () => {
    const listed = new Map((JSON.parse(read(FAMILIES_FILE)) as ListedFamily[]).map((f) => [f.name, JSON.stringify(f)]));
    const actual = new Map(familyList(object).map((f) => [f.name, JSON.stringify(f)]));
    const changes = [
      ...[...actual].filter(([name]) => !listed.has(name)).map(([, f]) => `added:   ${f}`),
      ...[...listed].filter(([name]) => !actual.has(name)).map(([, f]) => `removed: ${f}`),
      ...[...actual]
        .filter(([name, f]) => listed.has(name) && listed.get(name) !== f)
        .map(([name, f]) => `changed: ${listed.get(name)} -> ${f}`),
    ];
    const message = `a metric family or label was added, removed or renamed; dashboards, alert rules and users' queries use these names. If that is intended, update test/metrics/families.json (and the goldens) with: ${UPDATE_COMMAND}`;
    expect(changes.length === 0 ? [] : [message, ...changes]).toEqual([]);
  });

  it('gives every listed family samples in the fixed snapshot, so that none is covered by its HELP line alone', () => {
    const empty = [...object.values()]
      .filter((b) => !b.text.split('\n').some((line) => line !== '' && !line.startsWith('#')))
      .map((b) => b.declared);
    expect(empty).toEqual([]);
  });

  describeWithTool('promtool', 'promtool', (promtool) => {
    it('passes promtool check metrics at every detail, unnormalised', async () => {
      for (const detail of ['object', 'tenant', 'platform'] as const) {
        const check = spawnSync(promtool, ['check', 'metrics'], { input: await renderFixed(detail), encoding: 'utf8' });
        expect({ detail, status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({
          detail,
          status: 0,
          output: '',
        });
      }
    });
  });
});
