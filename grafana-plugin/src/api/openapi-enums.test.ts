import { OPENAPI_DOCUMENT } from '../../../exporter/src/api/openapi';
import { enumsModule } from '../../scripts/openapi-enums';
import { COMPONENT_STATUS_LABEL, COMPONENT_STATUSES, ROLES, RUN_STATUSES, RUN_TRIGGERS } from './openapi-enums.gen';

type EnumSchema = { enum: string[]; 'x-enum-descriptions'?: string[] };
const schemas = JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)).components.schemas as Record<string, EnumSchema>;

describe('the generated enums', () => {
  it('are the named enums of the exporter OpenAPI document, in its order', () => {
    expect(RUN_STATUSES).toEqual(schemas.RunStatus.enum);
    expect(RUN_TRIGGERS).toEqual(schemas.RunTrigger.enum);
    expect(ROLES).toEqual(schemas.Role.enum);
    expect(COMPONENT_STATUSES).toEqual(schemas.ComponentStatus.enum);
  });

  it('label each value as the document does', () => {
    expect(COMPONENT_STATUSES.map((status) => COMPONENT_STATUS_LABEL[status])).toEqual(
      schemas.ComponentStatus['x-enum-descriptions']
    );
  });
});

describe('enumsModule', () => {
  const header = '// generated\n';

  it('emits a typed list per named string enum and a label map where labels are given', () => {
    const text = enumsModule(header, {
      JobState: { type: 'string', enum: ['ran', 'missed'], 'x-enum-descriptions': ['Ran', "Didn't run"] },
      Kind: { type: 'string', enum: ['rule'] },
      Page: { type: 'object' },
    });
    expect(text).toContain(
      "export const JOB_STATES = ['ran', 'missed'] as const satisfies ReadonlyArray<components['schemas']['JobState']>;"
    );
    expect(text).toContain("  missed: 'Didn\\'t run',");
    expect(text).toContain("} as const satisfies Record<components['schemas']['JobState'], string>;");
    expect(text).toContain('export const KINDS = [');
    expect(text).not.toContain('KIND_LABEL');
    expect(text).not.toContain('PAGE');
  });

  it('refuses labels that do not pair one to one with the values', () => {
    expect(() =>
      enumsModule(header, { Kind: { type: 'string', enum: ['a', 'b'], 'x-enum-descriptions': ['A'] } })
    ).toThrow(/one string per enum value/);
  });
});
