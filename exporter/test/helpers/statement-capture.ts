import pg from 'pg';

export interface CapturedStatement {
  text: string;
  values: unknown[];
}

/**
 * Records every statement any pg client in this process sends (plain queries, query configs and cursors
 * alike), for the contract test to see which columns the exporter's statements touch.
 */
export function captureStatements(): { statements: CapturedStatement[]; stop(): void } {
  const statements: CapturedStatement[] = [];
  const original = pg.Client.prototype.query;
  const patched = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof (first as { text?: unknown }).text === 'string') {
      const config = first as { text: string; values?: unknown[] };
      statements.push({ text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) });
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = patched as typeof original;
  return { statements, stop: () => void (pg.Client.prototype.query = original) };
}
