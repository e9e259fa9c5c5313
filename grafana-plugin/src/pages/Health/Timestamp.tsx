import React from 'react';
import { absoluteTime, relativeTime } from '../../utils/format';

export const Timestamp = ({ iso }: { iso: string | null }) =>
  iso ? (
    <span>
      {relativeTime(iso)}
      <br />
      <small>{absoluteTime(iso)}</small>
    </span>
  ) : (
    <span>never</span>
  );
