import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The Snapshot is the spine: every domain imports its types from snapshot/, and snapshot/ imports no
 * domain back, so no import cycle (type-only ones included) runs through it.
 */
const SRC = path.resolve(__dirname, '../../src');

function modules(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) graph.set(path.relative(SRC, file), importsOf(file));
    }
  };
  walk(SRC);
  return graph;
}

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .filter((i) => i.fileName.startsWith('.'))
    .map((i) => path.relative(SRC, path.resolve(path.dirname(file), i.fileName)))
    .map((target) => (fs.existsSync(path.join(SRC, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`));
}

/** The modules reachable from `start` (itself excluded unless a cycle leads back to it). */
function reachable(graph: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

// Leaves with no imports of their own, which the spine may name: the logger and the run vocabulary.
// And the read-only transaction's settings (db/read-only.ts), which imports only pg's types.
const ALLOWED_OUTSIDE = ['log.ts', 'runs/statuses.ts', 'db/read-only.ts'];
// The one background loop every periodic job runs on (the collector's timer is one), and what it imports.
const ALLOWED_LOOP = ['background/periodic-task.ts', 'background/errors.ts'];

describe('snapshot/', () => {
  const graph = modules();
  const spine = [...graph.keys()].filter((file) => file.startsWith('snapshot/'));

  it('imports nothing from the domain folders', () => {
    const outside = spine.flatMap((file) =>
      graph
        .get(file)!
        .filter(
          (target) =>
            !target.startsWith('snapshot/') && !target.startsWith('util/') && ![...ALLOWED_OUTSIDE, ...ALLOWED_LOOP].includes(target),
        )
        .map((target) => `${file} -> ${target}`),
    );
    expect(outside).toEqual([]);
    for (const leaf of ALLOWED_OUTSIDE) expect(graph.get(leaf)).toEqual([]);
    // The loop reaches nothing but itself and the leaves: no domain comes in through it.
    for (const loop of ALLOWED_LOOP)
      expect([...reachable(graph, loop)].filter((t) => ![...ALLOWED_LOOP, ...ALLOWED_OUTSIDE].includes(t))).toEqual([]);
  });

  it('is on no import cycle', () => {
    expect(spine.length).toBeGreaterThan(5);
    expect(spine.filter((file) => reachable(graph, file).has(file))).toEqual([]);
  });
});

describe('exporter/src', () => {
  it('has no import cycle, type-only imports included', () => {
    const graph = modules();
    expect(graph.size).toBeGreaterThan(150);
    expect([...graph.keys()].filter((file) => reachable(graph, file).has(file))).toEqual([]);
  });
});
