import React from 'react';
import { Icon, type IconName } from '@grafana/ui';
import { providerName } from '../../utils/displayNames';

// Grafana's icon set covers a few providers by brand; the rest get a generic plug with the name beside it.
const BRANDS: Record<string, IconName> = {
  github: 'github',
  google: 'google',
  google_workspace: 'google',
  microsoft: 'microsoft',
  azure_ad: 'microsoft',
  entra_id: 'microsoft',
  m365: 'microsoft',
};

export const ProviderIcon = ({ provider }: { provider: string }) => (
  <span title={provider}>
    <Icon name={BRANDS[provider.toLowerCase()] ?? 'plug'} aria-label={providerName(provider)} />{' '}
    <small>{providerName(provider)}</small>
  </span>
);
