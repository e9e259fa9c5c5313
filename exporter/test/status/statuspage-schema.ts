/**
 * JSON Schemas of the Statuspage v2 public API objects (summary, component, incident, scheduled
 * maintenance), with the enums and required fields aggregators rely on. Extra fields are allowed:
 * that is where Aperio's own data goes.
 */
const ts = { type: 'string', format: 'date-time' };
const nullableTs = { anyOf: [ts, { type: 'null' }] };
const COMPONENT_STATUS = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

export const pageSchema = {
  type: 'object',
  required: ['id', 'name', 'url', 'time_zone', 'updated_at'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, time_zone: { type: 'string' }, updated_at: ts },
};

export const statusSchema = {
  type: 'object',
  required: ['indicator', 'description'],
  properties: { indicator: { enum: ['none', 'minor', 'major', 'critical'] }, description: { type: 'string' } },
};

export const componentSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'status',
    'created_at',
    'updated_at',
    'position',
    'description',
    'showcase',
    'start_date',
    'group_id',
    'page_id',
    'group',
    'only_show_if_degraded',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { enum: COMPONENT_STATUS },
    created_at: ts,
    updated_at: ts,
    position: { type: 'integer' },
    description: { type: ['string', 'null'] },
    showcase: { type: 'boolean' },
    start_date: { type: ['string', 'null'] },
    group_id: { type: ['string', 'null'] },
    page_id: { type: 'string' },
    group: { type: 'boolean' },
    only_show_if_degraded: { type: 'boolean' },
    components: { type: 'array', items: { type: 'string' } },
  },
};

const updateSchema = {
  type: 'object',
  required: ['id', 'status', 'body', 'created_at', 'display_at', 'affected_components'],
  properties: {
    id: { type: 'string' },
    body: { type: 'string' },
    created_at: ts,
    display_at: ts,
    affected_components: { type: ['array', 'null'] },
  },
};

export const incidentSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'status',
    'impact',
    'shortlink',
    'started_at',
    'resolved_at',
    'created_at',
    'updated_at',
    'incident_updates',
    'components',
    'page_id',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
    impact: { enum: ['none', 'minor', 'major', 'critical'] },
    shortlink: { type: 'string' },
    started_at: ts,
    resolved_at: nullableTs,
    created_at: ts,
    updated_at: ts,
    incident_updates: {
      type: 'array',
      minItems: 1,
      items: {
        ...updateSchema,
        properties: {
          ...updateSchema.properties,
          status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
        },
      },
    },
    components: { type: 'array', items: componentSchema },
  },
};

export const maintenanceSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'status',
    'impact',
    'shortlink',
    'scheduled_for',
    'scheduled_until',
    'created_at',
    'updated_at',
    'incident_updates',
    'components',
  ],
  properties: {
    status: { enum: ['scheduled', 'in_progress', 'verifying', 'completed'] },
    impact: { enum: ['none', 'maintenance', 'minor', 'major', 'critical'] },
    scheduled_for: ts,
    scheduled_until: ts,
    incident_updates: {
      type: 'array',
      items: {
        ...updateSchema,
        properties: { ...updateSchema.properties, status: { enum: ['scheduled', 'in_progress', 'verifying', 'completed'] } },
      },
    },
    components: { type: 'array', items: componentSchema },
  },
};

export const summarySchema = {
  type: 'object',
  required: ['page', 'status', 'components', 'incidents', 'scheduled_maintenances'],
  properties: {
    page: pageSchema,
    status: statusSchema,
    components: { type: 'array', items: componentSchema },
    incidents: { type: 'array', items: incidentSchema },
    scheduled_maintenances: { type: 'array', items: maintenanceSchema },
  },
};
