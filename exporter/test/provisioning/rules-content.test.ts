import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO, RULES_FILE, RULES_TEST_FILE } from './tools';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const groups: { name: string; rules: Rule[] }[] = YAML.parse(fs.readFileSync(RULES_FILE, 'utf8')).groups;
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);
const docs = fs.readFileSync(path.join(REPO, 'docs', 'alerts.md'), 'utf8');

describe('alerting rules', () => {
  test('cover every failure the operators asked for', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      expect.arrayContaining([
        'AperioConnectorStale',
        'AperioSiemDeadLetters',
        'AperioSiemDeliveryFailureRatioHigh',
        'AperioIngestionBacklogOld',
        'AperioRuleFailureRatioHigh',
        'AperioRuleSlow',
        'AperioScheduledRunMissed',
        'AperioExporterSnapshotStale',
        'AperioDatabaseUnreachable',
        'AperioExporterDown',
        'AperioExporterAbsent',
      ]),
    );
  });

  test.each(alerts.map((a) => [a.alert, a] as const))(
    '%s has for, severity, summary, description and a runbook in docs/alerts.md',
    (name, alert) => {
      expect(alert.for).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
      expect(alert.annotations?.description).toBeTruthy();
      const anchor = String(name).toLowerCase();
      expect(alert.annotations?.runbook_url).toMatch(new RegExp(`/docs/alerts\\.md#${anchor}$`));
      expect(docs).toMatch(new RegExp(`^## ${name}$`, 'm'));
    },
  );

  test('every alert has a promtool unit test', () => {
    const tests = YAML.parse(fs.readFileSync(RULES_TEST_FILE, 'utf8')).tests as {
      alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
    }[];
    const firing = new Set(
      tests
        .flatMap((t) => t.alert_rule_test ?? [])
        .filter((t) => t.exp_alerts.length > 0)
        .map((t) => t.alertname),
    );
    expect([...firing].sort()).toEqual(alerts.map((a) => a.alert).sort());
  });
});
