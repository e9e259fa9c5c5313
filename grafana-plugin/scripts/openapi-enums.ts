// The runtime half of the generated contract: every named string enum of the exporter's OpenAPI
// document becomes a list (`RunStatus` → `RUN_STATUSES`), and one that carries labels as
// `x-enum-descriptions` also a label map (`ComponentStatus` → `COMPONENT_STATUS_LABEL`). Each is
// typed by the generated schema type, so the app's pickers and labels follow the exporter alone.

type EnumSchema = { type?: unknown; enum?: unknown; 'x-enum-descriptions'?: unknown };

const constantName = (schemaName: string) => schemaName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const plural = (name: string) => (name.endsWith('S') ? `${name}ES` : `${name}S`);
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

function emitEnum(name: string, schema: EnumSchema): string {
  const values = schema.enum as string[];
  const type = `components['schemas']['${name}']`;
  const constant = constantName(name);
  const out = [
    `export const ${plural(constant)} = [${values.map(quote).join(', ')}] as const satisfies ReadonlyArray<${type}>;`,
  ];
  const labels = schema['x-enum-descriptions'];
  if (labels !== undefined) {
    if (!isStrings(labels) || labels.length !== values.length) {
      throw new Error(`${name}: x-enum-descriptions must hold one string per enum value`);
    }
    out.push(
      `export const ${constant}_LABEL = {`,
      ...values.map((value, i) => `  ${value}: ${quote(labels[i])},`),
      `} as const satisfies Record<${type}, string>;`
    );
  }
  return out.join('\n');
}

/** The module's text, from the document's `components.schemas`. */
export function enumsModule(header: string, schemas: Record<string, EnumSchema>): string {
  const named = Object.entries(schemas).filter(([, schema]) => schema.type === 'string' && isStrings(schema.enum));
  return (
    [
      header.trimEnd(),
      "import type { components } from './openapi.gen';",
      ...named.map(([name, schema]) => emitEnum(name, schema)),
    ].join('\n\n') + '\n'
  );
}
