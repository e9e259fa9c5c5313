import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The scrapers, in their own process as Prometheus would be: `count` clients fetch `path` (default
 * /metrics; gzip accepted, as Prometheus asks, unless `encoding` is `identity`) back to back until the
 * parent says stop, then report every latency in milliseconds. With `start` = `on-go` the clients wait
 * for the parent's 'go' first. With `rate` (requests per second) the scrapes are paced instead, as
 * Prometheus makes them: one is sent every 1/rate s whether or not the previous ones have been answered
 * (an open loop, so a slow answer cannot hold back the next request and hide its own delay), over at
 * most `count` connections.
 */
const [url, countArg, path = '/metrics', start = 'now', encoding = 'gzip', rateArg = '0'] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: count });
const latencies: number[] = [];
let running = true;
let failure: string | null = null;

let retries = 0;

/**
 * One scrape. A request sent on a kept-alive connection that the server closed meanwhile (its idle
 * timeout) is sent again once on a new connection, as Prometheus's HTTP client does for a GET; any
 * other error, or a second one, fails the scrape. The retries are counted and reported.
 */
async function scrape(): Promise<void> {
  try {
    await scrapeOnce();
  } catch (err) {
    if (!(err as { reusedSocket?: boolean }).reusedSocket || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err;
    retries += 1;
    await scrapeOnce();
  }
}

function scrapeOnce(): Promise<void> {
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
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
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

/** One scrape every 1/rate s from the first call on, each timed from when it was sent, until stopped. */
async function pacedClients(): Promise<void> {
  const intervalMs = 1000 / rate;
  const firstAt = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let sent = 0; running; sent++) {
    const wait = firstAt + sent * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!running) break;
    const started = performance.now();
    const scraped: Promise<void> = scrape().then(
      () => void latencies.push(performance.now() - started),
      (err: Error) => void (failure = err.message),
    );
    inFlight.add(scraped);
    void scraped.finally(() => inFlight.delete(scraped));
  }
  await Promise.all(inFlight);
}

let go: () => void = () => undefined;
const started = start === 'on-go' ? new Promise<void>((resolve) => (go = resolve)) : Promise.resolve();
const clients = scrape().then(async () => {
  process.send?.({ ready: true });
  await started;
  return rate > 0 ? pacedClients() : Promise.all(Array.from({ length: count }, client));
});
process.on('message', async (message) => {
  if (message === 'go') return go();
  running = false;
  go();
  await clients;
  process.send?.({ latencies, failure, retries }, () => process.exit(0));
});
