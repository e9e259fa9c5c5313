import fs from 'node:fs';
import path from 'node:path';

export type Tool = 'promtool' | 'prometheus';

/** The Debian `prometheus` package's binaries, or the first on PATH. */
export function findTool(name: Tool): string | null {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/**
 * `describe` when the tool exists. Without it: under CI=true a failing test that says how to install
 * it (CI must not go green by skipping), else a skipped block and one line saying why. Nested in another
 * `describe`, the block shares its beforeAll (a running exporter, a seeded database).
 */
export function describeWithTool(name: Tool, title: string, body: (toolPath: string) => void): void {
  const found = findTool(name);
  if (found) {
    describe(title, () => body(found));
    return;
  }
  const message = `${name} not found: install it with \`apt-get install -y prometheus\``;
  if (process.env.CI === 'true') {
    describe(title, () => {
      test(`${name} is installed`, () => {
        throw new Error(`${message} (CI=true requires it)`);
      });
    });
    return;
  }
  console.warn(`skipped "${title}": ${message}`);
  describe.skip(title, () => test('needs ' + name, () => undefined));
}
