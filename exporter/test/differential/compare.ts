/**
 * Expected and actual values keyed alike (`surface family{labels}`), compared one by one. Every
 * difference is kept as a line naming the value, so a failing run lists all of them at once, and the
 * number of values compared is counted so that a suite comparing nothing cannot pass.
 */
export type Value = number | string | boolean | null;
export const ABSENT = '<absent>';

export class Comparison {
  compared = 0;
  readonly differences: string[] = [];

  /** Absolute tolerances for keys that the definitions state to a precision (a ratio to 4 decimals). */
  constructor(private readonly tolerances: [RegExp, number][] = []) {}

  /** Compares every key of either side: a key missing on one side is a difference too. */
  maps(expected: Map<string, Value>, actual: Map<string, Value>): void {
    const keys = new Set([...expected.keys(), ...actual.keys()]);
    for (const key of [...keys].sort())
      this.value(key, expected.has(key) ? expected.get(key)! : ABSENT, actual.has(key) ? actual.get(key)! : ABSENT);
  }

  value(key: string, expected: Value, actual: Value): void {
    this.compared += 1;
    const tolerance = this.tolerances.find(([pattern]) => pattern.test(key))?.[1];
    const close =
      tolerance !== undefined && typeof expected === 'number' && typeof actual === 'number' && Math.abs(expected - actual) <= tolerance;
    if (!close && !same(expected, actual)) this.differences.push(`${key}: expected ${show(expected)}, actual ${show(actual)}`);
  }

  /** The differences whose key starts with one of the prefixes. */
  of(...prefixes: string[]): string[] {
    return this.differences.filter((line) => prefixes.some((p) => line.startsWith(p)));
  }
}

function same(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    // Seconds rendered from milliseconds: equal to the last printed digit.
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  }
  return a === b;
}

const show = (v: Value) => (typeof v === 'string' && v !== ABSENT ? JSON.stringify(v) : String(v));

/** Flattens a JSON value into `prefix.path` → leaf, so nested answers compare leaf by leaf. */
export function flatten(prefix: string, value: unknown, into = new Map<string, Value>()): Map<string, Value> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (!entries.length) into.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [k, v] of entries) flatten(`${prefix}.${k}`, v, into);
  } else {
    into.set(prefix, value as Value);
  }
  return into;
}

/** A series key in the form the exposition parser uses: labels sorted by name. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  return `${name}{${parts.join(',')}}`;
}
