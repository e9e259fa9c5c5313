import React from 'react';
import { Card, Text } from '@grafana/ui';
import type { IncidentJson } from '../../api/types';
import { testIds } from '../../components/testIds';
import { absoluteTime } from '../../utils/format';

export const Incidents = ({ incidents, title }: { incidents: IncidentJson[]; title: string }) => (
  <section>
    <Text element="h3">{title}</Text>
    {incidents.length === 0 ? (
      <Text color="secondary">None.</Text>
    ) : (
      incidents.map((i) => (
        <Card key={i.id} data-testid={testIds.status.incident}>
          <Card.Heading>{i.name}</Card.Heading>
          <Card.Meta>{[i.status, `impact ${i.impact}`, `since ${absoluteTime(i.started_at)}`]}</Card.Meta>
          <Card.Description>{i.incident_updates[0]?.body ?? ''}</Card.Description>
        </Card>
      ))
    )}
  </section>
);
