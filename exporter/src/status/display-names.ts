/**
 * How providers and SIEM kinds are written for people: the status page, its JSON, the dashboards and
 * the Grafana app all read this one table. Brand names are not title case ("CrowdStrike", "GitHub"),
 * so a value missing here falls back to a plain reading of the id and a new provider reads acceptably
 * until it is added.
 */
export const PROVIDER_NAMES: Record<string, string> = {
  okta: 'Okta',
  github: 'GitHub',
  gitlab: 'GitLab',
  aws_cloudtrail: 'AWS CloudTrail',
  gworkspace: 'Google Workspace',
  google_workspace: 'Google Workspace',
  m365: 'Microsoft 365',
  azure_ad: 'Microsoft Entra ID',
  entra_id: 'Microsoft Entra ID',
  crowdstrike: 'CrowdStrike',
  sentinelone: 'SentinelOne',
  slack: 'Slack',
  salesforce: 'Salesforce',
  zoom: 'Zoom',
  duo: 'Cisco Duo',
  onepassword: '1Password',
  jamf: 'Jamf',
  jira: 'Jira',
};

export const SIEM_KIND_NAMES: Record<string, string> = {
  SPLUNK_HEC: 'Splunk HEC',
  SENTINEL: 'Microsoft Sentinel',
  ELASTIC: 'Elastic',
  CHRONICLE: 'Google Chronicle',
  WEBHOOK: 'Webhook',
  SYSLOG: 'Syslog',
  QRADAR: 'IBM QRadar',
  SUMO_LOGIC: 'Sumo Logic',
  DATADOG: 'Datadog',
};

/** "some_new-provider" → "Some new provider": readable, and never a wrong brand spelling. */
const plain = (value: string) => {
  const words = value.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : value;
};

export const providerName = (provider: string): string => PROVIDER_NAMES[provider.toLowerCase()] ?? plain(provider);
export const siemKindName = (kind: string): string => SIEM_KIND_NAMES[kind.toUpperCase()] ?? plain(kind);
