import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, isAlive, postmasterPid, runCli, waitFor, type CliProcess } from '../helpers/processes';
import { OtlpReceiver } from './receiver';

/**
 * `npm start` with an OTLP endpoint, stopped while an export is in flight: the ordered shutdown waits for
 * the receiver's answer and saves the tail position before it stops the embedded PostgreSQL, so the
 * next start sends none of those spans again. Spans are counted per run row.
 */
describe('stopping the exporter with an export in flight', () => {
  jest.setTimeout(180_000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-stop-spans-'));
  fs.chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  const receiver = new OtlpReceiver();
  let env: Record<string, string>;
  let current: CliProcess | undefined;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(await freePort()),
      COLLECT_INTERVAL_SECONDS: '2',
      DEMO_TICK_SECONDS: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    };
  });
  afterAll(async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    const pid = postmasterPid(path.join(dataDir, 'pg18'));
    if (isAlive(pid)) process.kill(pid!, 'SIGQUIT');
    await receiver.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const spansPerRow = () => {
    const counts = new Map<string, number>();
    for (const span of receiver.spans) {
      const row = `${span.name.split(' ')[0]}#${span.attributes['aperio.run.id']}`;
      counts.set(row, (counts.get(row) ?? 0) + 1);
    }
    return counts;
  };

  it('SIGTERM waits for the export and saves the position: no span is sent twice after the restart', async () => {
    receiver.delayMs = 1_500; // every export stays in flight for a while
    current = runCli(['serve'], env);
    await waitFor(
      'an export to be in flight',
      async () => {
        if (current!.child.exitCode !== null) throw new Error(`exited early: ${current!.output()}`);
        return receiver.received > 0 ? true : undefined;
      },
      90_000,
    );
    current.child.kill('SIGTERM');
    const stopped = await current.exited;
    expect({ ...stopped, output: stopped.code === 0 ? '' : current.output() }).toEqual({ code: 0, signal: null, output: '' });
    const beforeRestart = receiver.spans.length;
    expect(beforeRestart).toBeGreaterThan(0);

    receiver.delayMs = 0;
    const requestsBefore = receiver.received;
    current = runCli(['serve'], env);
    await waitFor(
      'spans of new runs after the restart',
      async () => {
        if (current!.child.exitCode !== null) throw new Error(`exited early: ${current!.output()}`);
        return receiver.received >= requestsBefore + 2 ? true : undefined;
      },
      90_000,
    );
    current.child.kill('SIGINT');
    expect((await current.exited).code).toBe(0);

    const counts = spansPerRow();
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(counts.size).toBe(receiver.spans.length);
    expect(receiver.spans.length).toBeGreaterThan(beforeRestart);
  });
});
