#!/usr/bin/env node
// Compiles the exporter's sources (not its tests or bench) to dist/ (or --out-dir DIR) and copies the
// files they read at run time: the SQL migrations and the demo's core-table fixture.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const flag = process.argv.indexOf('--out-dir');
const outDir = path.resolve(root, flag >= 0 ? process.argv[flag + 1] : 'dist');
fs.rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
for (const dir of ['src/db/migrations', 'src/db/fixture']) fs.cpSync(path.join(root, dir), path.join(outDir, dir), { recursive: true });
