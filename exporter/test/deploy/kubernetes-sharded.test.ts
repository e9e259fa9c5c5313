import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { SHARD_NODE_OPTIONS } from '../../bench/shards';
import { loadSettings } from '../../src/config/settings';
import { describeWithTool } from '../helpers/tools';
import { REPO } from '../provisioning/tools';

/**
 * The sharded overlay in deploy/kubernetes/sharded (docs/sharding.md), checked offline as the base is
 * (kubernetes.test.ts): kustomize's resources and patches applied here, every object against the
 * Kubernetes and prometheus-operator schemas, the shards' StatefulSet and the platform Deployment against
 * the base's pod template, their SHARD, TOTAL_SHARDS and SHARD_COLLECTION against the exporter's own
 * settings validation, which Service reaches which pods, the plain scrape config with promtool.
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

/**
 * A strategic merge as kustomize does it for what the overlay patches: maps merged key by key (null
 * removes a field), lists of named items (containers, env) merged item by item on `name`.
 */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeNamedList(out[key], value);
    else if (typeof value === 'object' && typeof out[key] === 'object')
      out[key] = merge(out[key] as Record<string, unknown>, value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

type Named = Record<string, unknown> & { name: string };
function mergeNamedList(target: unknown, patch: unknown[]): Named[] {
  if (!Array.isArray(target) || ![...target, ...patch].every((item) => typeof (item as Named)?.name === 'string'))
    throw new Error('this test merges lists of named items only');
  const out = (target as Named[]).map((item) => ({ ...item }));
  for (const item of patch as Named[]) {
    const at = out.findIndex((o) => o.name === item.name);
    if (at === -1) out.push(item);
    else out[at] = merge(out[at], item) as Named;
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
const find = (objects: K8sObject[], kind: string, name = 'aperio-exporter') => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};
const statefulSet = find(sharded, 'StatefulSet', 'aperio-exporter-shard');
const platform = find(sharded, 'Deployment');
const envOf = (workload: K8sObject) => (name: string) =>
  workload.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === name);
const shardEnv = envOf(statefulSet);
const platformEnv = envOf(platform);
const shardPodLabels = () => statefulSet.spec.template.metadata.labels as Record<string, string>;
const platformPodLabels = () => platform.spec.template.metadata.labels as Record<string, string>;
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
/** A pod template without the settings that make a replica a shard or the platform replica (and a shard's V8 setting). */
function withoutShardSettings(template: unknown): unknown {
  const copy = structuredClone(template) as { spec: { containers: { env: { name: string }[] }[] } };
  copy.spec.containers[0].env = copy.spec.containers[0].env.filter(
    (e) => !['SHARD', 'TOTAL_SHARDS', 'SHARD_COLLECTION', 'NODE_OPTIONS'].includes(e.name),
  );
  return copy;
}

describe('Kubernetes manifests, sharded overlay', () => {
  it('is the base with a StatefulSet of shards, a headless Service over every pod and the shards’ disruption budget', () => {
    const files = fs.readdirSync(SHARDED).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const k = kustomizationOf(SHARDED);
    expect([...k.resources.filter((r) => r !== '../base'), ...(k.patches ?? []).map((p) => p.path)].sort()).toEqual(files.sort());
    const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(sharded)).toEqual(
      [
        ...names(base),
        'StatefulSet/aperio-exporter-shard',
        'Service/aperio-exporter-pods',
        'PodDisruptionBudget/aperio-exporter-shards',
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

  it('runs the base pod template on the shards, with SHARD from the pod ordinal, TOTAL_SHARDS equal to the replicas and SHARD_COLLECTION=own', () => {
    // The shards' pods differ from the base's in their component label only (and what selects by it).
    const template = JSON.parse(
      JSON.stringify(withoutShardSettings(statefulSet.spec.template)).replaceAll('"exporter-shard"', '"exporter"'),
    );
    expect(template).toEqual(find(base, 'Deployment').spec.template);
    expect(shardPodLabels()['app.kubernetes.io/component']).toBe('exporter-shard');
    expect(shardEnv('SHARD').valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } });
    expect(Number(shardEnv('TOTAL_SHARDS').value)).toBe(statefulSet.spec.replicas);
    expect(shardEnv('SHARD_COLLECTION').value).toBe('own');
    expect(statefulSet.spec.replicas).toBeGreaterThan(1);
  });

  it('gives the shards a NODE_OPTIONS that Node accepts and that shrinks the young generation, as the bench runs them', () => {
    const options = shardEnv('NODE_OPTIONS').value as string;
    expect(options).toBe(SHARD_NODE_OPTIONS);
    const newSpaceMb = (env: Record<string, string>) =>
      Number(
        execFileSync(
          process.execPath,
          [
            '-e',
            "const a=[];for(let i=0;i<2e6;i++)a.push({i});console.log(require('v8').getHeapSpaceStatistics().find(s=>s.space_name==='new_space').space_size/2**20)",
          ],
          { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
        ),
      );
    expect(newSpaceMb({ NODE_OPTIONS: options })).toBeLessThanOrEqual(8);
    expect(newSpaceMb({})).toBeGreaterThan(8);
    expect(platformEnv('NODE_OPTIONS')).toBeUndefined();
  });

  it('makes the base Deployment the platform replicas of as many shards, its pod template otherwise the base’s', () => {
    expect(withoutShardSettings(platform.spec.template)).toEqual(find(base, 'Deployment').spec.template);
    expect(platformEnv('SHARD').value).toBe('platform');
    expect(platformEnv('TOTAL_SHARDS').value).toBe(shardEnv('TOTAL_SHARDS').value);
    expect(platformEnv('SHARD_COLLECTION')).toBeUndefined();
    expect(loadSettings({ SHARD: 'platform', TOTAL_SHARDS: platformEnv('TOTAL_SHARDS').value })).toMatchObject({
      SHARD: 'platform',
      TOTAL_SHARDS: statefulSet.spec.replicas,
    });
  });

  it('gives every pod ordinal settings the exporter accepts, and no more pods than shards', () => {
    const total = shardEnv('TOTAL_SHARDS').value as string;
    for (let ordinal = 0; ordinal < statefulSet.spec.replicas; ordinal++) {
      expect(loadSettings({ SHARD: String(ordinal), TOTAL_SHARDS: total, SHARD_COLLECTION: 'own' })).toMatchObject({
        SHARD: ordinal,
        TOTAL_SHARDS: Number(total),
        SHARD_COLLECTION: 'own',
      });
    }
    expect(() => loadSettings({ SHARD: String(statefulSet.spec.replicas), TOTAL_SHARDS: total, SHARD_COLLECTION: 'own' })).toThrow(
      /SHARD=.*must be below TOTAL_SHARDS/,
    );
  });

  it('sends the status page and the API to the platform replicas only, never to a shard', () => {
    const service = find(sharded, 'Service');
    expect(service.spec.clusterIP).toBeUndefined();
    expect(matches(service.spec.selector, platformPodLabels())).toBe(true);
    expect(matches(service.spec.selector, shardPodLabels())).toBe(false);
  });

  it('scrapes every pod, platform replicas and shards, once each, through one headless Service', () => {
    expect(statefulSet.spec.selector.matchLabels).toEqual(shardPodLabels());
    const governing = find(sharded, 'Service', statefulSet.spec.serviceName);
    expect(governing.spec.clusterIP).toBe('None');
    expect(matches(governing.spec.selector, shardPodLabels())).toBe(true);
    expect(matches(governing.spec.selector, platformPodLabels())).toBe(true);
    // The ServiceMonitor selects that Service alone: each pod is one target.
    const monitor = find(sharded, 'ServiceMonitor');
    const selected = sharded.filter((o) => o.kind === 'Service' && matches(monitor.spec.selector.matchLabels, o.metadata.labels));
    expect(selected.map((o) => o.metadata.name)).toEqual([governing.metadata.name]);
    // The platform Deployment's own selector does not take the shards' pods.
    expect(matches(platform.spec.selector.matchLabels, shardPodLabels())).toBe(false);
  });

  it('lets a disruption take one shard at a time, since each alone exposes its tenants, and keeps a platform replica', () => {
    const shardsBudget = find(sharded, 'PodDisruptionBudget', 'aperio-exporter-shards');
    expect(matches(shardsBudget.spec.selector.matchLabels, shardPodLabels())).toBe(true);
    expect(matches(shardsBudget.spec.selector.matchLabels, platformPodLabels())).toBe(false);
    expect(shardsBudget.spec.maxUnavailable).toBe(1);
    const platformBudget = find(sharded, 'PodDisruptionBudget');
    expect(matches(platformBudget.spec.selector.matchLabels, platformPodLabels())).toBe(true);
    expect(matches(platformBudget.spec.selector.matchLabels, shardPodLabels())).toBe(false);
    expect(platformBudget.spec.minAvailable).toBe(1);
  });

  describeWithTool('promtool', 'the plain Prometheus scrape config', (promtool) => {
    const file = path.join(SHARDED, 'prometheus-scrape.yml');
    it('is a valid configuration that finds every pod through the headless Service, as job "aperio"', () => {
      expect(execFileSync(promtool, ['check', 'config', '--syntax-only', file], { encoding: 'utf8' })).toContain('SUCCESS');
      const [job] = YAML.parse(fs.readFileSync(file, 'utf8')).scrape_configs;
      const monitorJob = find(sharded, 'ServiceMonitor').spec.endpoints[0].relabelings.find(
        (r: { targetLabel: string }) => r.targetLabel === 'job',
      ).replacement;
      expect(job.job_name).toBe(monitorJob);
      expect(job.dns_sd_configs[0].names[0]).toMatch(new RegExp(`^${statefulSet.spec.serviceName}\\.`));
      expect(job.dns_sd_configs[0].port).toBe(statefulSet.spec.template.spec.containers[0].ports[0].containerPort);
    });
  });
});
