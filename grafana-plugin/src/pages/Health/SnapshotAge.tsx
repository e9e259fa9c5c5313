import React from 'react';
import { Alert, Text } from '@grafana/ui';
import type { SnapshotMeta } from '../../api/types';
import { absoluteTime, relativeTime } from '../../utils/format';

/** The health routes answer from the exporter's snapshot; saying how old it is avoids trusting stale data. */
export const SnapshotAge = ({ meta }: { meta: SnapshotMeta | undefined }) => {
  if (!meta) {
    return null;
  }
  if (!meta.snapshot.databaseReachable) {
    return (
      <Alert severity="warning" title="The exporter cannot reach its database">
        The figures below are from {absoluteTime(meta.snapshot.dataAsOf)}.
      </Alert>
    );
  }
  return (
    <Text color="secondary" variant="bodySmall">
      Data as of {relativeTime(meta.snapshot.dataAsOf)} ({absoluteTime(meta.snapshot.dataAsOf)})
    </Text>
  );
};
