import { Writable } from 'node:stream';
import pino from 'pino';
import { backgroundErrors } from '../../src/background/errors';
import { backgroundFamilies } from '../../src/background/metrics';
import { PeriodicTask } from '../../src/background/periodic-task';
import { emptySnapshot } from '../../src/snapshot/empty';
import { freshnessPolicy } from '../../src/connectors/freshness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A real pino logger whose lines the test reads back. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

describe('PeriodicTask', () => {
  it('never overlaps two steps and waits the interval after each step ends', async () => {
    let concurrent = 0;
    let most = 0;
    const spans: { start: number; end: number }[] = [];
    const task = new PeriodicTask({
      name: 'demo',
      intervalMs: 10,
      step: async () => {
        concurrent++;
        most = Math.max(most, concurrent);
        const start = performance.now();
        await sleep(40); // longer than the interval: a fixed-rate timer would start the next one meanwhile
        spans.push({ start, end: performance.now() });
        concurrent--;
      },
    });
    task.start();
    await until('four steps', () => spans.length >= 4);
    await task.stop();
    expect(most).toBe(1);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start - spans[i - 1].end).toBeGreaterThanOrEqual(9);
  });

  it('stop() resolves only after the step in progress has finished, and no step runs after it', async () => {
    let release: () => void = () => undefined;
    let started = 0;
    let finished = 0;
    const task = new PeriodicTask({
      name: 'demo',
      intervalMs: 5,
      step: async () => {
        started++;
        await new Promise<void>((resolve) => (release = resolve));
        finished++;
      },
    });
    task.start();
    await until('the first step to start', () => started === 1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await sleep(30);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(1);
    await sleep(50);
    expect(started).toBe(1);
  });

  it('logs a failed step with the task name, counts it, and carries on', async () => {
    const { log, lines } = memoryLogger();
    const before = backgroundErrors().get('verify') ?? 0;
    let steps = 0;
    const task = new PeriodicTask({
      name: 'verify',
      intervalMs: 5,
      log,
      step: async () => {
        steps++;
        if (steps === 1) throw new Error('relation "Nowhere" does not exist');
      },
    });
    task.start();
    await until('steps after the failed one', () => steps >= 3);
    await task.stop();
    expect(backgroundErrors().get('verify')).toBe(before + 1);
    expect(lines).toEqual([expect.objectContaining({ task: 'verify', err: 'relation "Nowhere" does not exist' })]);

    const samples = [...backgroundFamilies[0].samples(emptySnapshot(freshnessPolicy(3600, 7200)))];
    expect(samples).toContainEqual({ labels: { task: 'verify' }, value: before + 1 });
  });

  it('a step that throws before its first await is caught like any other failure', async () => {
    const { log, lines } = memoryLogger();
    let steps = 0;
    const task = new PeriodicTask({
      name: 'demo',
      intervalMs: 5,
      log,
      step: () => {
        steps++;
        throw new Error('thrown synchronously');
      },
    });
    task.start();
    await until('a second step', () => steps >= 2);
    await task.stop();
    expect(lines[0]).toEqual(expect.objectContaining({ task: 'demo', err: 'thrown synchronously' }));
  });

  it('waits firstRunAfterMs before the first step (the status refresh), else starts at once', async () => {
    const ran: number[] = [];
    const started = performance.now();
    const delayed = new PeriodicTask({
      name: 'status',
      intervalMs: 1_000,
      firstRunAfterMs: 100,
      step: async () => void ran.push(performance.now() - started),
    });
    const prompt = new PeriodicTask({ name: 'collector', intervalMs: 1_000, step: async () => void ran.push(-1) });
    delayed.start();
    prompt.start();
    await until('both first steps', () => ran.length >= 2);
    await Promise.all([delayed.stop(), prompt.stop()]);
    expect(ran[0]).toBe(-1);
    expect(ran[1]).toBeGreaterThanOrEqual(95);
  });
});
