import fs from 'node:fs';
import path from 'node:path';

// The package version is the exporter's version in build info, /status.json and the API. Found by
// walking up, so it is the same from src/ (tsx) and from the compiled dist/src/.
function findVersion(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@aperio/exporter' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export const VERSION: string = findVersion(__dirname);
