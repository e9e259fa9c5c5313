import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The scrapers, in their own process as Prometheus would be: `count` clients scrape /metrics (gzip, as
 * Prometheus asks) back to back until the parent says stop, then report every latency in milliseconds.
 */
const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: count });
const latencies: number[] = [];
let running = true;
let failure: string | null = null;

function scrape(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/metrics`, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/metrics answered ${res.statusCode}`));
        // Check the body is whole once in a while, without making every scrape pay for gunzip.
        if (Math.random() < 0.01) gunzipSync(Buffer.concat(chunks));
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

const clients = scrape().then(() => {
  process.send?.({ ready: true });
  return Promise.all(Array.from({ length: count }, client));
});
process.on('message', async () => {
  running = false;
  await clients;
  process.send?.({ latencies, failure }, () => process.exit(0));
});
