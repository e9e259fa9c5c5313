import { z } from 'zod';
import { SEVERITIES } from '../snapshot/platform-findings';

/**
 * The MONITORS_CONFIG file's schema (docs/monitors.md): per check, the common fields and its own, in
 * the file's snake_case. Durations are `30s`, `5m`, `2h`, `1d` or a number of seconds.
 */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const match = typeof v === 'string' ? /^(\d+(?:\.\d+)?)([smhd])$/.exec(v) : null;
  const seconds = typeof v === 'number' ? v : match ? Number(match[1]) * UNIT_SECONDS[match[2]] : NaN;
  if (Number.isNaN(seconds) || seconds < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m, 2h or 1d, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return seconds;
});
const ratio = z.number().gt(0).max(1);
const count = z.number().int().min(1);
const commonFields = {
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  for: duration.optional(),
  recovery: duration.optional(),
};
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. UTC, Europe/Berlin)');

export const fileSchema = z
  .object({
    checks: z
      .object({
        connector_stale: z.object(commonFields).strict(),
        connector_failing: z.object({ ...commonFields, consecutive_failures: count.optional() }).strict(),
        siem_dead_letter: z
          .object({
            ...commonFields,
            window: duration.optional(),
            new_dead_letters: count.optional(),
            failure_ratio: ratio.optional(),
            min_deliveries: count.optional(),
          })
          .strict(),
        ingestion_backlog: z.object({ ...commonFields, oldest_queued: duration.optional(), depth: count.optional() }).strict(),
        rule_failing: z
          .object({ ...commonFields, window: duration.optional(), failure_ratio: ratio.optional(), min_runs: count.optional() })
          .strict(),
        rule_slow: z
          .object({ ...commonFields, window: duration.optional(), p95: duration.optional(), min_runs: count.optional() })
          .strict(),
        schedule_missed: z
          .object({
            ...commonFields,
            timezone: timezone.optional(),
            grace: duration.nullable().optional(),
            suppress_during_backlog: z.enum(['platform', 'tenant', 'off']).optional(),
          })
          .strict(),
        exporter_stale_data: z.object({ ...commonFields, max_age: duration.optional() }).strict(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
/** The `checks` section as the file gives it: every field optional, durations already in seconds. */
export type FileChecks = NonNullable<z.infer<typeof fileSchema>['checks']>;
