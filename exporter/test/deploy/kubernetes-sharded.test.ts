import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadSettings } from '../../src/config/settings';
import { describeWithTool } from '../helpers/tools';
import { REPO } from '../provisioning/tools';

/**
 * The sharded overlay in deploy/kubernetes/sharded (docs/sharding.md), checked offline as the base is
 * (kubernetes.test.ts): kustomize's resources and delete patches applied here, every object against the
 * Kubernetes and prometheus-operator schemas, the StatefulSet against the base Deployment it replaces, its
 * SHARD and TOTAL_SHARDS against the exporter's own settings validation, the plain scrape config with promtool.
 */
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
}
interface Kustomization {
  resources: string[];
  patches?: { path: string }[];
  images?: unknown[];
}

const KUBERNETES = path.join(REPO, 'deploy', 'kubernetes');
const SHARDED = path.join(KUBERNETES, 'sharded');
const readYaml = (file: string) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as K8sObject);
const kustomizationOf = (dir: string) => YAML.parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;

/** A strategic merge of plain maps, as kustomize does it for them: null removes a field. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof out[key] === 'object')
      out[key] = merge(out[key] as Record<string, unknown>, value as Record<string, unknown>);
    else if (Array.isArray(value)) throw new Error('this test merges maps only, not lists');
    else out[key] = value;
  }
  return out;
}

/**
 * The objects of a kustomization: its resources (directories recursively), less what its `$patch: delete`
 * patches remove, with its other patches merged (maps only).
 */
function build(dir: string): K8sObject[] {
  const k = kustomizationOf(dir);
  let objects = k.resources.flatMap((entry) => {
    const target = path.join(dir, entry);
    return fs.statSync(target).isDirectory() ? build(target) : readYaml(target);
  });
  for (const patch of k.patches ?? []) {
    const [spec] = readYaml(path.join(dir, patch.path)) as (K8sObject & { $patch?: string })[];
    const target = (o: K8sObject) => o.kind === spec.kind && o.metadata.name === spec.metadata.name;
    if (objects.filter(target).length !== 1) throw new Error(`${patch.path} matches no object of the resources`);
    if (spec.$patch === 'delete') objects = objects.filter((o) => !target(o));
    else
      objects = objects.map((o) =>
        target(o)
          ? (merge(o as unknown as Record<string, unknown>, spec as unknown as Record<string, unknown>) as unknown as K8sObject)
          : o,
      );
  }
  return objects;
}

function validateAgainstSchemas(list: unknown[]): { kind: string; name: string; error: string | null }[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-manifests.mjs')], {
    input: JSON.stringify(list),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const base = build(path.join(KUBERNETES, 'base'));
const sharded = build(SHARDED);
const find = (objects: K8sObject[], kind: string, name = 'aperio-exporter') =>
  objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const statefulSet = find(sharded, 'StatefulSet');
const container = statefulSet.spec.template.spec.containers[0];
const env = (name: string) => container.env.find((e: { name: string }) => e.name === name);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests, sharded overlay', () => {
  it('is the base with a StatefulSet and its headless Service in place of the Deployment', () => {
    const files = fs.readdirSync(SHARDED).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const k = kustomizationOf(SHARDED);
    expect([...k.resources.filter((r) => r !== '../base'), ...(k.patches ?? []).map((p) => p.path)].sort()).toEqual(files.sort());
    const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(sharded)).toEqual(
      [
        ...names(base).filter((n) => n !== 'Deployment/aperio-exporter'),
        'StatefulSet/aperio-exporter',
        'Service/aperio-exporter-shards',
      ].sort(),
    );
    // The base's image and tag apply to the StatefulSet too.
    expect(k.images).toEqual(kustomizationOf(path.join(KUBERNETES, 'base')).images);
  });

  it('validates every object against the Kubernetes and prometheus-operator schemas', () => {
    const results = validateAgainstSchemas(sharded);
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(sharded.length);
    const broken = structuredClone(statefulSet);
    broken.spec.serviceName = 3;
    expect(validateAgainstSchemas([broken])[0].error).toMatch(/serviceName must be string/);
  });

  it('runs the base pod template, plus SHARD from the pod ordinal and TOTAL_SHARDS equal to the replicas', () => {
    const template = structuredClone(statefulSet.spec.template);
    template.spec.containers[0].env = template.spec.containers[0].env.filter(
      (e: { name: string }) => !['SHARD', 'TOTAL_SHARDS'].includes(e.name),
    );
    expect(template).toEqual(find(base, 'Deployment').spec.template);
    expect(env('SHARD').valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } });
    expect(Number(env('TOTAL_SHARDS').value)).toBe(statefulSet.spec.replicas);
    expect(statefulSet.spec.replicas).toBeGreaterThan(1);
  });

  it('gives every pod ordinal settings the exporter accepts, and no more pods than shards', () => {
    const total = env('TOTAL_SHARDS').value as string;
    for (let ordinal = 0; ordinal < statefulSet.spec.replicas; ordinal++) {
      expect(loadSettings({ SHARD: String(ordinal), TOTAL_SHARDS: total })).toMatchObject({ SHARD: ordinal, TOTAL_SHARDS: Number(total) });
    }
    expect(() => loadSettings({ SHARD: String(statefulSet.spec.replicas), TOTAL_SHARDS: total })).toThrow(
      /SHARD=.*must be below TOTAL_SHARDS/,
    );
  });

  it('names pods through a headless Service that the ServiceMonitor does not scrape a second time', () => {
    const podLabels = statefulSet.spec.template.metadata.labels;
    expect(statefulSet.spec.selector.matchLabels).toEqual(podLabels);
    const governing = find(sharded, 'Service', statefulSet.spec.serviceName);
    expect(governing.spec.clusterIP).toBe('None');
    expect(matches(governing.spec.selector, podLabels)).toBe(true);
    const monitor = find(sharded, 'ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, governing.metadata.labels)).toBe(false);
    // One target per pod through the base Service, under the job the alerts use.
    const service = find(sharded, 'Service');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(matches(service.spec.selector, podLabels)).toBe(true);
  });

  it('lets a disruption take one shard at a time, since each alone exposes its tenants', () => {
    const pdb = find(sharded, 'PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels, statefulSet.spec.template.metadata.labels)).toBe(true);
    expect(pdb.spec).not.toHaveProperty('minAvailable');
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  describeWithTool('promtool', 'the plain Prometheus scrape config', (promtool) => {
    const file = path.join(SHARDED, 'prometheus-scrape.yml');
    it('is a valid configuration that finds each shard through the headless Service, as job "aperio"', () => {
      expect(execFileSync(promtool, ['check', 'config', '--syntax-only', file], { encoding: 'utf8' })).toContain('SUCCESS');
      const [job] = YAML.parse(fs.readFileSync(file, 'utf8')).scrape_configs;
      const monitorJob = find(sharded, 'ServiceMonitor').spec.endpoints[0].relabelings.find(
        (r: { targetLabel: string }) => r.targetLabel === 'job',
      ).replacement;
      expect(job.job_name).toBe(monitorJob);
      expect(job.dns_sd_configs[0].names[0]).toMatch(new RegExp(`^${statefulSet.spec.serviceName}\\.`));
      expect(job.dns_sd_configs[0].port).toBe(container.ports[0].containerPort);
    });
  });
});
