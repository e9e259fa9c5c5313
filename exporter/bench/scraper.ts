import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The scrapers, in their own process as Prometheus would be: `count` clients fetch `path` (default
 * /metrics; gzip accepted, as Prometheus asks, unless `encoding` is `identity`) back to back until the
 * parent says stop, then report every latency in milliseconds. With `start` = `on-go` the clients wait
 * for the parent's 'go' first.
 */
const [url, countArg, path = '/metrics', start = 'now', encoding = 'gzip'] = process.argv.slice(2);
const count = Number(countArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: count });
const latencies: number[] = [];
let running = true;
let failure: string | null = null;

function scrape(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { agent, headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}`));
        // Check the body is whole once in a while, without making every scrape pay for gunzip.
        if (res.headers['content-encoding'] === 'gzip' && Math.random() < 0.01) gunzipSync(Buffer.concat(chunks));
        resolve();
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function client(): Promise<void> {
  while (running) {
    const started = performance.now();
    try {
      await scrape();
    } catch (err) {
      failure = (err as Error).message;
      return;
    }
    latencies.push(performance.now() - started);
  }
}

let go: () => void = () => undefined;
const started = start === 'on-go' ? new Promise<void>((resolve) => (go = resolve)) : Promise.resolve();
const clients = scrape().then(async () => {
  process.send?.({ ready: true });
  await started;
  return Promise.all(Array.from({ length: count }, client));
});
process.on('message', async (message) => {
  if (message === 'go') return go();
  running = false;
  go();
  await clients;
  process.send?.({ latencies, failure }, () => process.exit(0));
});
