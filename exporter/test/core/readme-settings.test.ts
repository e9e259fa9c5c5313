import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS_DOC } from '../../src/config/settings';

it('README documents every setting the exporter reads, and no setting it does not', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(SETTINGS_DOC).sort());
});
