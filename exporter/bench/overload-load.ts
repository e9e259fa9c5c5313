import http from 'node:http';

/**
 * The overload's clients, in a process of their own: API_CLIENTS clients calling the API and the
 * status page's token view back to back, EXPORTS clients exporting a tenant's rule runs over and over,
 * and two /metrics scrapers, for `durationMs`. Reports every answer's status class, how each export
 * ended (its X-Export-Status trailer, or cut) and the scrapes' latencies.
 */
const [url, tokensJson, durationArg] = process.argv.slice(2);
const { tenants } = JSON.parse(tokensJson) as { tenants: string[] };
const durationMs = Number(durationArg);
const API_CLIENTS = 200;
const EXPORTS = 20;
const agent = new http.Agent({ keepAlive: true, maxSockets: API_CLIENTS + EXPORTS + 4 });

const statuses: Record<string, number> = {};
const exports = { complete: 0, incomplete: 0, cut: 0, refused: 0 };
const scrapeLatencies: number[] = [];
let networkErrors = 0;
const deadline = Date.now() + durationMs;

function request(path: string, token: string | null): Promise<{ status: number; trailer: string | undefined; complete: boolean }> {
  return new Promise((resolve) => {
    const req = http.get(`${url}${path}`, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode!, trailer: res.trailers['x-export-status'], complete: true }));
      res.on('aborted', () => resolve({ status: res.statusCode!, trailer: undefined, complete: false }));
      res.on('error', () => resolve({ status: res.statusCode!, trailer: undefined, complete: false }));
    });
    req.on('error', () => {
      networkErrors += 1;
      resolve({ status: 0, trailer: undefined, complete: false });
    });
  });
}

const count = (status: number) => {
  const key = status === 0 ? 'network' : status === 503 ? '503' : `${Math.floor(status / 100)}xx`;
  statuses[key] = (statuses[key] ?? 0) + 1;
};

async function apiClient(i: number): Promise<void> {
  const token = tenants[i % tenants.length];
  const paths = [
    '/api/v1/rule-runs?limit=50',
    '/api/v1/whoami',
    '/api/v1/connector-syncs?limit=20&status=FAILED',
    '/status.json',
    '/api/v1/health/connectors',
  ];
  for (let n = i; Date.now() < deadline; n++) count((await request(paths[n % paths.length], token)).status);
}

async function exportClient(i: number): Promise<void> {
  const token = tenants[i % tenants.length];
  while (Date.now() < deadline) {
    const answer = await request('/api/v1/rule-runs/export?format=ndjson', token);
    count(answer.status);
    if (answer.status !== 200) exports.refused += 1;
    else if (!answer.complete || answer.trailer === undefined) exports.cut += 1;
    else if (answer.trailer === 'complete') exports.complete += 1;
    else exports.incomplete += 1;
  }
}

async function scraper(): Promise<void> {
  while (Date.now() < deadline) {
    const started = performance.now();
    const { status } = await request('/metrics', null);
    if (status === 200) scrapeLatencies.push(performance.now() - started);
    else count(status);
  }
}

void Promise.all([
  ...Array.from({ length: API_CLIENTS }, (_, i) => apiClient(i)),
  ...Array.from({ length: EXPORTS }, (_, i) => exportClient(i)),
  scraper(),
  scraper(),
]).then(() => process.send?.({ statuses, exports, scrapeLatencies, networkErrors }, () => process.exit(0)));
