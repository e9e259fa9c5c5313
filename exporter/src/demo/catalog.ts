/**
 * The demo's cast: tenants, providers, destinations and rules, with the failures each one plays.
 * Intervals are short (minutes, not hours) so that every number moves while someone watches.
 */
export const DEMO_TENANTS = [
  { slug: 'acme', name: 'Acme Corp', retentionDays: 30 },
  { slug: 'globex', name: 'Globex', retentionDays: 90 },
  { slug: 'initech', name: 'Initech', retentionDays: 30 },
  { slug: 'umbrella', name: 'Umbrella', retentionDays: 7 },
  { slug: 'hooli', name: 'Hooli', retentionDays: 30 },
  { slug: 'stark', name: 'Stark Industries', retentionDays: 365 },
] as const;

export const DEMO_PROVIDERS = ['okta', 'github', 'aws_cloudtrail', 'gworkspace', 'm365', 'crowdstrike', 'slack'] as const;

export const DEMO_DESTINATIONS = [
  { tenant: 'acme', kind: 'SPLUNK_HEC', name: 'Splunk production' },
  { tenant: 'acme', kind: 'WEBHOOK', name: 'PagerDuty webhook' },
  { tenant: 'globex', kind: 'SENTINEL', name: 'Microsoft Sentinel' },
  { tenant: 'initech', kind: 'ELASTIC', name: 'Elastic SIEM' },
  { tenant: 'umbrella', kind: 'WEBHOOK', name: 'Legacy SOAR webhook' },
  { tenant: 'hooli', kind: 'CHRONICLE', name: 'Google Chronicle' },
  { tenant: 'stark', kind: 'SYSLOG', name: 'Syslog relay' },
  { tenant: 'stark', kind: 'SPLUNK_HEC', name: 'Splunk Cloud' },
] as const;

export const DEMO_BUILT_IN_RULES = [
  { key: 'impossible_travel', name: 'Impossible travel', severity: 'HIGH', intervalSeconds: 180 },
  { key: 'mfa_disabled', name: 'MFA disabled for a user', severity: 'HIGH', intervalSeconds: 120 },
  { key: 'public_repo_created', name: 'Repository made public', severity: 'MEDIUM', intervalSeconds: 300 },
  { key: 'root_account_login', name: 'Cloud root account login', severity: 'CRITICAL', intervalSeconds: 60 },
  { key: 'mass_file_download', name: 'Mass file download', severity: 'MEDIUM', intervalSeconds: 240 },
  { key: 'edr_sensor_offline', name: 'EDR sensor offline', severity: 'LOW', intervalSeconds: 300 },
] as const;

/** The failures the demo keeps playing, so that every alert and status colour can be seen. */
export const DEMO_FAILURES = {
  /** A connector whose token expired: every sync fails, its data goes stale then critical. */
  staleConnector: 'conn_globex_crowdstrike',
  staleError: '401 Unauthorized: the CrowdStrike API client secret has expired',
  /** A destination whose endpoint is gone: deliveries retry, then dead-letter. */
  deadLetterDestination: 'dest_umbrella_webhook',
  deadLetterError: 'POST https://soar.umbrella.example/hooks: 410 Gone',
  /** A rule that takes a minute or more to evaluate. */
  slowRule: 'impossible_travel',
  /** An hourly tenant job that skipped a slot and is overdue now. */
  missedRule: 'rule_initech_hourly_access_review',
  /** A tenant whose ingestion queue backs up for a few minutes of every ten, then drains. */
  backlogTenant: 'hooli',
} as const;

export const connectionId = (tenant: string, provider: string) => `conn_${tenant}_${provider}`;
export const orgId = (tenant: string) => `org_${tenant}`;
