import React from 'react';
import { TextLink } from '@grafana/ui';
import { useAppSettings } from '../../components/App/AppSettingsContext';
import { exploreTraceUrl } from '../../utils/explore';

/** A run's trace id, opened in Explore on the traces data source chosen on the configuration page. */
export const TraceLink = ({ traceId, short = false }: { traceId: string | null; short?: boolean }) => {
  const { tracesDatasourceUid } = useAppSettings();
  if (!traceId) {
    return <>—</>;
  }
  const text = short ? traceId.slice(0, 8) : traceId;
  if (!tracesDatasourceUid) {
    return <span title="Choose a traces data source on the configuration page to open traces in Explore">{text}</span>;
  }
  return (
    <TextLink href={exploreTraceUrl(tracesDatasourceUid, traceId)} icon="compass" inline>
      {text}
    </TextLink>
  );
};
