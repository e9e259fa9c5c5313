// Validates Kubernetes objects (a JSON array on stdin) against the schemas the kubernetes-models packages
// ship: the Kubernetes OpenAPI schemas and the prometheus-operator CRDs. An ES module run by plain node,
// because those packages are ES modules only. Prints [{ kind, name, error }] (error null when valid).
import { text } from 'node:stream/consumers';

const modulePath = (apiVersion, kind) =>
  apiVersion.startsWith('monitoring.coreos.com/')
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;

const objects = JSON.parse(await text(process.stdin));
const results = [];
for (const object of objects) {
  const name = object.metadata?.name ?? '';
  try {
    const Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
    new Model(object).validate();
    results.push({ kind: object.kind, name, error: null });
  } catch (err) {
    results.push({ kind: object.kind, name, error: err.message });
  }
}
process.stdout.write(JSON.stringify(results));
