// The bundled dashboards are generated in ../dashboards/plugin (the variant that names no data source
// uid); copying them into src/ before each build lets the scaffold's webpack config ship them in dist/
// without touching .config/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const from = path.resolve(root, '../dashboards/plugin');
const to = path.join(root, 'src/dashboards');

const files = fs.readdirSync(from).filter((f) => f.endsWith('.json'));
if (files.length === 0) {
  console.error(`no dashboards in ${from}: run "npm run build -w dashboards" first`);
  process.exit(1);
}
fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(to, { recursive: true });
for (const file of files) {
  fs.copyFileSync(path.join(from, file), path.join(to, file));
}
console.log(`copied ${files.length} dashboards to src/dashboards`);
