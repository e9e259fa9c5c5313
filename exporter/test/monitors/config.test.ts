import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/config/user-error';
import { DEFAULT_MONITORS_CONFIG, loadMonitorsConfig, parseMonitorsConfig } from '../../src/monitors/config';

it('defaults apply without a file, and a file overrides only what it names', () => {
  expect(loadMonitorsConfig(undefined)).toBe(DEFAULT_MONITORS_CONFIG);
  const config = parseMonitorsConfig('checks:\n  rule_slow: { p95: 2m, severity: LOW, for: 30s }\n  connector_stale: { enabled: false }\n');
  expect(config.rule_slow).toMatchObject({ p95Seconds: 120, severity: 'LOW', forSeconds: 30, windowSeconds: 900 });
  expect(config.connector_stale.enabled).toBe(false);
  expect(config.rule_failing).toEqual(DEFAULT_MONITORS_CONFIG.rule_failing);
});

it.each([
  ['checks:\n  rule_slow: { p95: fast }\n', /checks\.rule_slow\.p95: expected a duration/],
  ['checks:\n  siem_dead_letter: { failure_ratio: 2 }\n', /checks\.siem_dead_letter\.failure_ratio/],
  ['checks:\n  schedule_missed: { timezone: Mars/Olympus }\n', /checks\.schedule_missed\.timezone: not an IANA time zone/],
  ['checks:\n  connector_stale: { severity: URGENT }\n', /checks\.connector_stale\.severity/],
  ['checks:\n  made_up: {}\n', /checks: Unrecognized key/],
])('rejects %j naming the field', (yaml, message) => {
  expect(() => parseMonitorsConfig(yaml)).toThrow(UserError);
  expect(() => parseMonitorsConfig(yaml)).toThrow(message);
});

it('names the file when it cannot be read', () => {
  const missing = path.join(os.tmpdir(), 'no-such-monitors.yml');
  expect(() => loadMonitorsConfig(missing)).toThrow(/MONITORS_CONFIG .*no-such-monitors\.yml cannot be read/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mon-')), 'monitors.yml');
  fs.writeFileSync(file, 'checks:\n  ingestion_backlog: { depth: 0 }\n');
  expect(() => loadMonitorsConfig(file)).toThrow(/checks\.ingestion_backlog\.depth/);
});
