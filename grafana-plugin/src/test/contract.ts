import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_DOCUMENT } from '../../../exporter/src/api/openapi';
import { summarySchema } from '../../../exporter/test/status/statuspage-schema';

/**
 * The mock API server answers only what the real exporter may answer: every JSON body is checked
 * against the exporter's own OpenAPI document (the /api/v1 routes) or its Statuspage v2 schema
 * (/status.json), and a request's query parameters against the route's declared parameters. A fixture
 * or a mock branch that drifts from the exporter therefore fails the test that used it.
 */
type Operation = {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
};
const doc = JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)) as { paths: Record<string, { get: Operation }> };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: 'openapi' });
const validateSummary = ajv.compile(summarySchema);

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The OpenAPI path template an exporter path belongs to (`/v1/rule-runs/99` → `/v1/rule-runs/{id}`); literal paths win. */
export function templateOf(path: string): string | null {
  const templates = Object.keys(doc.paths);
  if (templates.includes(path)) {
    return path;
  }
  return templates.find((t) => t.includes('{') && new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`).test(path)) ?? null;
}

/** Query parameters the route does not declare (the exporter answers those with 400 unknown_parameter). */
export function undeclaredParameters(path: string, query: URLSearchParams): string[] {
  const template = templateOf(path);
  const declared = new Set(
    (template ? (doc.paths[template].get.parameters ?? []) : []).filter((p) => p.in === 'query').map((p) => p.name)
  );
  return [...new Set(query.keys())].filter((key) => !declared.has(key));
}

/** Problems of a JSON answer to `path` with `status`, as the exporter documents it; empty when it conforms. */
export function contractProblems(path: string, status: number, body: unknown): string[] {
  if (path === '/status.json') {
    return validateSummary(body) ? [] : [ajv.errorsText(validateSummary.errors)];
  }
  const template = templateOf(path);
  if (!template) {
    return [`${path} is not a route of the exporter's OpenAPI document`];
  }
  const response = doc.paths[template].get.responses[String(status)];
  if (!response?.content?.['application/json']) {
    return [`${template} does not document a JSON answer with status ${status}`];
  }
  const ref = `openapi#/${pointer('paths', template, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  return validate(body) ? [] : [`${template} ${status}: ${ajv.errorsText(validate.errors)}`];
}
