import React from 'react';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { screen, waitFor } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { testIds } from '../components/testIds';
import { HealthPage } from '../pages/Health/HealthPage';
import { RuleAuditPage } from '../pages/RuleAudit/RuleAuditPage';
import { StatusPage } from '../pages/Status/StatusPage';
import { ruleRuns } from '../test/fixtures';
import { setWorld } from '../test/mockApi';
import { renderAt, renderConfiguredAt } from '../test/render';

/**
 * Pictures of the app's pages as these tests render them (real @grafana/ui components, the mock API),
 * drawn by headless Chromium: test-output/screenshots always, and with UPDATE_SCREENSHOTS=1 also the
 * copies plugin.json lists (src/img/screenshots) and the docs show (docs/images/grafana-*.png).
 */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
const OUTPUT = path.join(ROOT, 'test-output', 'screenshots');
const WAIT = { timeout: 15000 };
const available = fs.existsSync(CHROMIUM);
if (!available && process.env.CI !== 'true') {
  process.stderr.write(`skipping the app screenshots: ${CHROMIUM} not found (apt-get install chromium)\n`);
}

const theme = createTheme({ colors: { mode: 'dark' } });
const PAGE_CSS = `body{margin:0;padding:16px 24px;background:${theme.colors.background.canvas};color:${theme.colors.text.primary};
font-family:${theme.typography.fontFamily};font-size:${theme.typography.fontSize}px;line-height:1.5}
h1.app-title{font-size:22px;font-weight:500;margin:0 0 12px}
header[data-testid="plugin-page-actions"]{display:flex;gap:8px;justify-content:flex-end;margin:-40px 0 16px}
header[data-testid="plugin-page-actions"]:empty{display:none}
svg[viewBox="0 0 24 24"]{width:16px;height:16px}`;

function capture(name: string, title: string) {
  // Emotion inserts its rules through CSSOM (insertRule), so the style elements' text is empty: read the rules.
  const styles = [...document.querySelectorAll('style')]
    .map(
      (el) =>
        `<style>${[...(el.sheet?.cssRules ?? [])].map((rule) => rule.cssText).join('\n') || el.textContent}</style>`
    )
    .join('\n');
  const html = `<!doctype html><html><head><meta charset="utf-8">${styles}<style>${PAGE_CSS}</style></head>
<body><h1 class="app-title">Aperio Observability › ${title}</h1>${document.body.innerHTML}</body></html>`;
  fs.mkdirSync(OUTPUT, { recursive: true });
  const htmlFile = path.join(OUTPUT, `${name}.html`);
  const pngFile = path.join(OUTPUT, `${name}.png`);
  fs.writeFileSync(htmlFile, html);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'html-to-png.mjs'), htmlFile, pngFile, '1280'], {
    stdio: 'pipe',
    timeout: 60_000,
  });
  expect(fs.statSync(pngFile).size).toBeGreaterThan(10_000);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.copyFileSync(pngFile, path.join(ROOT, 'src', 'img', 'screenshots', `${name}.png`));
    fs.copyFileSync(pngFile, path.join(ROOT, '..', 'docs', 'images', `grafana-${name}.png`));
  }
}

(available || process.env.CI === 'true' ? describe : describe.skip)('screenshots of the app pages', () => {
  beforeAll(() => {
    if (!available) {
      throw new Error(`${CHROMIUM} is required with CI=true: apt-get install chromium`);
    }
  });

  it('Health', async () => {
    renderAt(<HealthPage />, '/health?refresh=off');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    await screen.findByTestId(testIds.health.siemTable, {}, WAIT);
    await screen.findByTestId(testIds.health.ingestionTable, {}, WAIT);
    capture('health', 'Health');
  });

  it('Rule audit log', async () => {
    setWorld({
      token: { role: 'OPERATOR', tenant: null },
      ruleRuns: ruleRuns.map((r, i) => ({ ...r, traceId: i % 2 ? null : `4bf92f3577b34da6a3ce929d0e0e47${30 + i}` })),
    });
    renderConfiguredAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    await screen.findByTestId(testIds.audit.tenant, {}, WAIT);
    capture('audit', 'Rule audit log');
  });

  it('Status', async () => {
    renderAt(<StatusPage />, '/status');
    await screen.findByTestId(testIds.status.indicator, {}, WAIT);
    await waitFor(() => expect(screen.queryByTestId(testIds.states.loading)).not.toBeInTheDocument(), WAIT);
    capture('status', 'Status');
  });
});
