import fs from 'node:fs';
import path from 'node:path';
import { seriesKey, type Value } from './compare';

/**
 * `tenant` detail as docs/metrics.md and the "below `object` detail" column of
 * docs/metrics-reference.md state it: each family drops its object labels and merges the series that
 * then coincide (sum, min or max), `_info` families are dropped, and families with nothing to drop are
 * shown as at `object` detail. The rules are read from the document, so the docs are what is checked.
 */
type Rule = { drops: string[]; op: 'sum' | 'min' | 'max' } | 'dropped' | 'kept';

export function detailRules(): Map<string, Rule> {
  const text = fs.readFileSync(path.join(__dirname, '../../../docs/metrics-reference.md'), 'utf8');
  const rules = new Map<string, Rule>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`(aperio_\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const below = cells[4];
    const drops = /^drops ([\w, ]+) \((sum|min|max)\)$/.exec(below);
    rules.set(
      name,
      below === 'dropped' ? 'dropped' : drops ? { drops: drops[1].split(', '), op: drops[2] as 'sum' | 'min' | 'max' } : 'kept',
    );
  }
  return rules;
}

const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

function parseKey(key: string): { name: string; labels: Record<string, string> } {
  const name = key.slice(0, key.indexOf('{'));
  const labels = Object.fromEntries([...key.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return { name, labels };
}

/** The rule of a rendered series name: histogram series follow their family's rule. */
function ruleOf(rules: Map<string, Rule>, name: string): Rule | undefined {
  return rules.get(name) ?? rules.get(name.replace(HISTOGRAM_SUFFIX, ''));
}

/** Object-detail expected series reduced to tenant detail; every series name must have a documented rule. */
export function atTenantDetail(expected: Map<string, Value>, rules: Map<string, Rule>): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [key, value] of expected) {
    const { name, labels } = parseKey(key);
    const rule = ruleOf(rules, name);
    if (rule === undefined) throw new Error(`${name} is not in docs/metrics-reference.md`);
    if (rule === 'dropped') continue;
    if (rule === 'kept') {
      out.set(key, value);
      continue;
    }
    const kept = Object.fromEntries(Object.entries(labels).filter(([label]) => !rule.drops.includes(label)));
    const merged = seriesKey(name, kept);
    const previous = out.get(merged);
    const v = value as number;
    out.set(
      merged,
      previous === undefined
        ? v
        : rule.op === 'sum'
          ? (previous as number) + v
          : rule.op === 'min'
            ? Math.min(previous as number, v)
            : Math.max(previous as number, v),
    );
  }
  return out;
}
