import fs from 'node:fs';
import path from 'node:path';
import { metricsReference } from '../../src/metrics/docs';

it('docs/metrics-reference.md lists exactly the families the exporter exposes (regenerate: npm run docs -w exporter)', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../../../docs/metrics-reference.md'), 'utf8');
  expect(committed).toBe(metricsReference());
});
