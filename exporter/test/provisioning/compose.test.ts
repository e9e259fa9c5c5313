import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO } from './tools';

// The Compose Specification JSON schema (compose-spec/compose-spec, June 2026, Apache-2.0), kept with the
// tests so that a fresh clone validates the compose file without anything beside the repository.
const SCHEMA = path.join(__dirname, 'fixtures', 'compose-spec.json');
const compose = YAML.parse(fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8'));

describe('docker-compose.yml', () => {
  test('validates against the Compose Specification JSON schema', () => {
    expect(fs.existsSync(SCHEMA)).toBe(true);
    const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
    // The schema names draft-07 by an https URL Ajv does not know by that spelling; draft-07 is Ajv's default.
    delete schema.$schema;
    // Formats (durations, ports) are not what this test checks; the structure is.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(ajv.errorsText(validate.errors, { separator: '\n' })).toBe('No errors');
    expect(valid).toBe(true);
  });

  test('brings up the whole demo', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['exporter', 'grafana', 'otel-collector', 'postgres', 'prometheus']);
    expect(compose.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe('aperio-observability-app');
    expect(compose.services.exporter.build.dockerfile).toBe('exporter/Dockerfile');
  });

  test('every file it mounts from the repository exists (except the plugin build output)', () => {
    const mounts: string[] = Object.values(compose.services as Record<string, { volumes?: string[] }>)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => source.startsWith('./') && source !== './grafana-plugin/dist');
    expect(mounts.length).toBeGreaterThan(3);
    for (const source of mounts) expect([source, fs.existsSync(path.join(REPO, source))]).toEqual([source, true]);
    expect(fs.existsSync(path.join(REPO, compose.services.exporter.build.dockerfile))).toBe(true);
  });
});
