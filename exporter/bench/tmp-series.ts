import { renderMetrics } from '../src/metrics/render';
import { syntheticSnapshot } from './synthetic-snapshot';

async function main() {
  const [tenants, connectors, destinations] = process.argv.slice(2).map(Number);
  const snap = syntheticSnapshot({ tenants, connectors, destinations });
  for (const detail of ['object', 'tenant'] as const) {
    const whole = await renderMetrics(snap, { detail, seriesLimit: Infinity });
    const per: number[] = [];
    for (const total of [4, 10]) {
      const counts = [];
      for (let index = 0; index < total; index++) counts.push((await renderMetrics(snap, { detail, seriesLimit: Infinity, shard: { index, total } })).series);
      per.push(Math.max(...counts));
      console.log(JSON.stringify({ tenants, detail, total, counts }));
    }
    console.log(JSON.stringify({ tenants, detail, whole: whole.series, bytes: whole.formats.prometheus.body.length, gzip: whole.formats.prometheus.gzip.length }));
  }
}
void main();
