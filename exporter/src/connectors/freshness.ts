import { z } from 'zod';
import { loadYamlConfig } from '../config/yaml-file';

/**
 * Freshness thresholds in dbt's shape: `warn_after` / `error_after` as {count, period}, a default and
 * per-provider overrides; `null` switches a level off for a provider.
 */
export type FreshnessState = 'fresh' | 'stale' | 'critical' | 'never';
export const FRESHNESS_STATES: readonly FreshnessState[] = ['fresh', 'stale', 'critical', 'never'];

export interface FreshnessThresholds {
  warnAfterSeconds: number | null;
  errorAfterSeconds: number | null;
}

export interface FreshnessPolicy {
  default: FreshnessThresholds;
  providers: Record<string, FreshnessThresholds>;
}

const PERIOD_SECONDS = { minute: 60, hour: 3600, day: 86400 } as const;
const duration = z
  .object({ count: z.number().int().positive(), period: z.enum(['minute', 'hour', 'day']) })
  .strict()
  .nullable();
const level = z.object({ warn_after: duration.optional(), error_after: duration.optional() }).strict();
const fileSchema = z.object({ default: level.optional(), providers: z.record(z.string(), level).optional() }).strict();

const toSeconds = (value: z.infer<typeof duration> | undefined, fallback: number | null) =>
  value === undefined ? fallback : value === null ? null : value.count * PERIOD_SECONDS[value.period];

export function freshnessPolicy(warnSeconds: number, errorSeconds: number, configPath?: string): FreshnessPolicy {
  const base: FreshnessThresholds = { warnAfterSeconds: warnSeconds, errorAfterSeconds: errorSeconds };
  if (!configPath) return { default: base, providers: {} };
  const parsed = loadYamlConfig(
    configPath,
    fileSchema,
    'FRESHNESS_CONFIG',
    'expected {default: {warn_after: {count, period}, error_after: ...}, providers: {<provider>: ...}} with period minute|hour|day',
  );
  const fallback: FreshnessThresholds = {
    warnAfterSeconds: toSeconds(parsed.default?.warn_after, base.warnAfterSeconds),
    errorAfterSeconds: toSeconds(parsed.default?.error_after, base.errorAfterSeconds),
  };
  const providers = Object.fromEntries(
    Object.entries(parsed.providers ?? {}).map(([provider, value]) => [
      provider,
      {
        warnAfterSeconds: toSeconds(value.warn_after, fallback.warnAfterSeconds),
        errorAfterSeconds: toSeconds(value.error_after, fallback.errorAfterSeconds),
      },
    ]),
  );
  return { default: fallback, providers };
}

export function thresholdsFor(policy: FreshnessPolicy, provider: string): FreshnessThresholds {
  return policy.providers[provider] ?? policy.default;
}

export function freshnessState(lastSyncAt: number | null, now: number, thresholds: FreshnessThresholds): FreshnessState {
  if (lastSyncAt === null) return 'never';
  const ageSeconds = (now - lastSyncAt) / 1000;
  if (thresholds.errorAfterSeconds !== null && ageSeconds > thresholds.errorAfterSeconds) return 'critical';
  if (thresholds.warnAfterSeconds !== null && ageSeconds > thresholds.warnAfterSeconds) return 'stale';
  return 'fresh';
}
