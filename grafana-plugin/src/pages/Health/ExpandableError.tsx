import React, { useState } from 'react';
import { Button } from '@grafana/ui';
import { relativeTime } from '../../utils/format';

const SHORT = 60;

/** Long stack-like errors would blow up the table row; the first line shows, the rest on demand. */
export const ExpandableError = ({ error, at }: { error: string | null; at: string | null }) => {
  const [open, setOpen] = useState(false);
  if (!error) {
    return <span>—</span>;
  }
  const long = error.length > SHORT;
  return (
    <div>
      <span title={at ?? undefined}>{open || !long ? error : `${error.slice(0, SHORT)}…`}</span>
      {at && <small> ({relativeTime(at)})</small>}
      {long && (
        <Button size="sm" fill="text" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Less' : 'More'}
        </Button>
      )}
    </div>
  );
};
