// OpenAPI 3.1 schemas are JSON Schema 2020-12.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_DOCUMENT } from '../../src/api/openapi';
import type { Answer } from '../api/helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const ID = 'https://aperio.invalid/openapi.json';

/** Checks real API answers against the exporter's own OpenAPI document (GET /api/openapi.json). */
export function openApiConformance() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...OPENAPI_DOCUMENT, $id: ID });
  const operation = (route: string) => (OPENAPI_DOCUMENT.paths as Any)[route]?.get;
  /** Throws when `value` does not match the document's schema `schemaRef` (`#/components/schemas/...`). */
  const validate = (schemaRef: string, value: unknown, where: string) => {
    const check = ajv.getSchema(`${ID}${schemaRef}`);
    if (!check) throw new Error(`${where}: the document has no schema ${schemaRef}`);
    if (!check(value))
      throw new Error(`${where} does not match ${schemaRef}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
  };
  /** Throws when one real answer does not match the document's response for its route and status. */
  const conforms = (route: string, answer: Answer, where: string) => {
    const response = operation(route)?.responses?.[String(answer.status)];
    if (!response) throw new Error(`${where}: status ${answer.status} is not described for ${route}`);
    const type = (answer.headers.get('content-type') ?? '').split(';')[0];
    const media = response.content?.[type];
    if (!media) throw new Error(`${where}: ${type} is not described for ${route} ${answer.status}`);
    if (type === 'application/json') validate(media.schema.$ref, answer.body, where);
    else if (type === 'application/x-ndjson') {
      for (const line of answer.text.trimEnd().split('\n').filter(Boolean)) validate(media.schema.$ref, JSON.parse(line), where);
    }
  };
  return { operation, validate, conforms };
}
