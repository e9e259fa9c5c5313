import { OPENAPI_DOCUMENT } from '../../src/api/openapi';
import { ROLES } from '../../src/auth/roles';
import { RUN_STATUSES, RUN_TRIGGERS } from '../../src/runs/statuses';
import { COMPONENT_STATUSES, STATUS_LABEL } from '../../src/status/levels';

type Schema = { enum?: string[]; 'x-enum-descriptions'?: string[]; $ref?: string; properties?: Record<string, Schema> };
const schemas = OPENAPI_DOCUMENT.components.schemas as Record<string, Schema>;

/** The plugin's lists and labels are generated from these named enums, so they must be the exporter's own. */
describe('the vocabularies of the OpenAPI document', () => {
  it('are the exporter lists of run statuses, triggers and token roles', () => {
    expect(schemas.RunStatus.enum).toEqual([...RUN_STATUSES]);
    expect(schemas.RunTrigger.enum).toEqual([...RUN_TRIGGERS]);
    expect(schemas.Role.enum).toEqual([...ROLES]);
  });

  it('carry the status page labels of component statuses, one per value in order', () => {
    expect(schemas.ComponentStatus.enum).toEqual([...COMPONENT_STATUSES]);
    expect(schemas.ComponentStatus['x-enum-descriptions']).toEqual(COMPONENT_STATUSES.map((status) => STATUS_LABEL[status]));
  });

  it('are what every run shape and the caller identity refer to', () => {
    for (const shape of ['RuleRun', 'ConnectorSync', 'ScheduleRun']) {
      expect(schemas[shape].properties?.status).toEqual({ $ref: '#/components/schemas/RunStatus' });
      expect(schemas[shape].properties?.trigger).toEqual({ $ref: '#/components/schemas/RunTrigger' });
    }
    expect(schemas.Whoami.properties?.role).toEqual({ $ref: '#/components/schemas/Role' });
  });
});
