import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { generatedDashboards, REPO } from './queries';

describe('generated dashboards', () => {
  test('the committed JSON is what the TypeScript sources generate', () => {
    // Runs the real generator in check mode: it exits 1 and names each drifted file.
    const tsx = path.join(REPO, 'node_modules', '.bin', 'tsx');
    const out = execFileSync(tsx, [path.join(REPO, 'dashboards', 'src', 'generate.ts'), '--check'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('up to date (21 files)');
  }, 60_000);

  const dashboards = generatedDashboards();

  test('are the seven dashboards, each with a stable uid and a revision', () => {
    expect(dashboards.map((d) => d.uid)).toEqual([
      'aperio-connectors',
      'aperio-exporter',
      'aperio-ingestion',
      'aperio-overview',
      'aperio-rules',
      'aperio-siem',
      'aperio-status',
    ]);
    for (const d of dashboards) expect(d.revision).toBeGreaterThanOrEqual(1);
  });

  test.each(dashboards.filter((d) => d.uid !== 'aperio-status').map((d) => [d.uid, d] as const))(
    '%s reads the ${datasource} variable, never a fixed data source',
    (_uid, d) => {
      expect(d.templating?.list?.find((v) => v.type === 'datasource')?.name).toBe('datasource');
      for (const panel of (d.panels ?? []).filter((p) => p.type !== 'row')) {
        expect(panel.datasource?.uid).toBe('${datasource}');
        for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${datasource}');
      }
    },
  );

  test('the status dashboard has no template variables, so it can be shared publicly', () => {
    const status = dashboards.find((d) => d.uid === 'aperio-status');
    expect(status?.templating?.list ?? []).toEqual([]);
    for (const panel of (status?.panels ?? []).filter((p) => p.type !== 'row')) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: 'aperio-prometheus' });
      for (const target of panel.targets ?? []) expect(target.expr).not.toMatch(/\$/);
    }
  });

  test('every panel has a description, a unit, thresholds and at least one query', () => {
    for (const d of dashboards) {
      for (const panel of (d.panels ?? []).filter((p) => p.type !== 'row')) {
        const where = `${d.uid} / ${panel.title}`;
        expect([where, Boolean(panel.description)]).toEqual([where, true]);
        expect([where, Boolean(panel.fieldConfig?.defaults?.unit)]).toEqual([where, true]);
        expect([where, (panel.fieldConfig?.defaults?.thresholds?.steps ?? []).length > 0]).toEqual([where, true]);
        expect([where, (panel.targets ?? []).length > 0]).toEqual([where, true]);
      }
    }
  });

  test('the importable variants ask for a Prometheus data source in __inputs and list __requires', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    for (const d of dashboards) {
      const text = fs.readFileSync(path.join(REPO, 'dashboards', 'importable', `${d.uid}.json`), 'utf8');
      const imported = JSON.parse(text);
      expect(imported.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
      expect(imported.__requires).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'datasource', id: 'prometheus' })]));
      expect(imported.uid).toBe(d.uid);
      expect(text).not.toContain('aperio-prometheus');
    }
  });
});
