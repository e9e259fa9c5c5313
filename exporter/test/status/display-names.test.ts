import { DEMO_DESTINATIONS, DEMO_PROVIDERS } from '../../src/demo/catalog';
import { PROVIDER_NAMES, providerName, SIEM_KIND_NAMES, siemKindName } from '../../src/status/display-names';

describe('display names of providers and SIEM kinds', () => {
  test('spell brands as their owners do', () => {
    expect(['crowdstrike', 'aws_cloudtrail', 'gworkspace', 'm365', 'github', 'okta'].map(providerName)).toEqual([
      'CrowdStrike',
      'AWS CloudTrail',
      'Google Workspace',
      'Microsoft 365',
      'GitHub',
      'Okta',
    ]);
    expect(['SPLUNK_HEC', 'SENTINEL', 'CHRONICLE', 'WEBHOOK'].map(siemKindName)).toEqual([
      'Splunk HEC',
      'Microsoft Sentinel',
      'Google Chronicle',
      'Webhook',
    ]);
  });

  test('name every provider and kind the demo uses', () => {
    for (const provider of DEMO_PROVIDERS) expect([provider, provider in PROVIDER_NAMES]).toEqual([provider, true]);
    for (const { kind } of DEMO_DESTINATIONS) expect([kind, kind in SIEM_KIND_NAMES]).toEqual([kind, true]);
  });

  test('read an unknown id as plain words rather than a guessed brand', () => {
    expect(providerName('new_provider')).toBe('New provider');
    expect(siemKindName('SOME_SIEM')).toBe('Some siem');
  });
});
