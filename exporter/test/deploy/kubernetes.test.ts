import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runCli } from '../helpers/processes';
import { REPO, RULES_FILE } from '../provisioning/tools';
const { renderPrometheusRule } = require('../../../scripts/prometheus-rule.js') as { renderPrometheusRule: () => string };

/**
 * The kustomize base in deploy/kubernetes/base, checked offline (no cluster here): every object against
 * the Kubernetes and prometheus-operator schemas shipped by the kubernetes-models packages, the pieces
 * against each other (selectors, ports, secrets, the job label the alerts expect), the PrometheusRule
 * against the rules it is generated from, and the CronJob's command against a real database.
 */
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
}

const BASE = path.join(REPO, 'deploy', 'kubernetes', 'base');
const kustomization = YAML.parse(fs.readFileSync(path.join(BASE, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
  YAML.parseAllDocuments(fs.readFileSync(path.join(BASE, file), 'utf8')).map((doc) => doc.toJS() as K8sObject),
);
const one = (kind: string) => objects.find((o) => o.kind === kind)!;

function validateAgainstSchemas(list: unknown[]): { kind: string; name: string; error: string | null }[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-manifests.mjs')], {
    input: JSON.stringify(list),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('Kubernetes manifests (kustomize base)', () => {
  const deployment = () => one('Deployment');
  const podLabels = () => deployment().spec.template.metadata.labels as Record<string, string>;
  const container = () => deployment().spec.template.spec.containers[0];

  it('lists every manifest of the directory, one of each kind the exporter needs', () => {
    const files = fs.readdirSync(BASE).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'CronJob',
      'Deployment',
      'PodDisruptionBudget',
      'PrometheusRule',
      'Service',
      'ServiceMonitor',
    ]);
  });

  it('validates every object against the Kubernetes and prometheus-operator schemas', () => {
    const results = validateAgainstSchemas(objects);
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(objects.length);
    // The validator is live: a broken copy is rejected.
    const broken = structuredClone(deployment());
    broken.spec.replicas = 'two';
    expect(validateAgainstSchemas([broken])[0].error).toMatch(/replicas must be integer/);
  });

  it('runs 2 replicas with probes on /healthz and /readyz, resources and a locked-down security context', () => {
    expect(deployment().spec.replicas).toBe(2);
    const c = container();
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9464 }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(c.resources.limits.memory).toBeDefined();
    expect(c.securityContext).toEqual(
      expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }),
    );
    const pod = deployment().spec.template.spec.securityContext;
    expect(pod.runAsNonRoot).toBe(true);
    // The image's own user (exporter/Dockerfile), so runAsNonRoot holds without overriding it.
    const dockerUser = /^USER (\d+)/m.exec(fs.readFileSync(path.join(REPO, 'exporter', 'Dockerfile'), 'utf8'))![1];
    expect(String(pod.runAsUser)).toBe(dockerUser);
  });

  it('selects the exporter pods from the Service, the PodDisruptionBudget and the ServiceMonitor', () => {
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(deployment().spec.selector.matchLabels).toEqual(podLabels());
    const service = one('Service');
    expect(matches(service.spec.selector, podLabels())).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const pdb = one('PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels, podLabels())).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment().spec.replicas);
    const monitor = one('ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels!)).toBe(true);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(monitor.spec.endpoints[0].port);
    // The CronJob's pods are not exporter replicas: no Service or PDB counts them.
    expect(matches(service.spec.selector, one('CronJob').spec.jobTemplate.spec.template.metadata.labels)).toBe(false);
  });

  it('scrapes with the metrics token the exporter is given, under the job name the alerts use', () => {
    const endpoint = one('ServiceMonitor').spec.endpoints[0];
    const token = container().env.find((e: { name: string }) => e.name === 'METRICS_TOKEN').valueFrom.secretKeyRef;
    expect(endpoint.authorization.credentials).toEqual({ name: token.name, key: token.key });
    const job = endpoint.relabelings.find((r: { targetLabel: string }) => r.targetLabel === 'job').replacement;
    expect(fs.readFileSync(RULES_FILE, 'utf8')).toContain(`up{job="${job}"}`);
  });

  it('carries the alert and recording rules of provisioning/prometheus/rules, as generated', () => {
    expect(fs.readFileSync(path.join(BASE, 'prometheusrule.yaml'), 'utf8')).toBe(renderPrometheusRule());
    const rules = YAML.parse(fs.readFileSync(RULES_FILE, 'utf8'));
    expect(one('PrometheusRule').spec.groups).toEqual(rules.groups);
  });

  describe('the maintenance CronJob', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it('runs the exporter image with the same database secret, and its command works on a real database', async () => {
      const job = one('CronJob').spec.jobTemplate.spec.template.spec;
      const c = job.containers[0];
      expect(c.image).toBe(container().image);
      const dbSecret = (env: { name: string; valueFrom: unknown }[]) => env.find((e) => e.name === 'DATABASE_URL')!.valueFrom;
      expect(dbSecret(c.env)).toEqual(dbSecret(container().env));
      expect(c.args[0]).toBe('maintenance');
      const run = runCli(c.args, { DATABASE_URL: db.url });
      expect((await run.exited).code).toBe(0);
      expect(run.output()).toMatch(/^done in /m);
    });
  });
});
