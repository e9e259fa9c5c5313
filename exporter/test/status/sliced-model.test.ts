import { syntheticSnapshot } from '../../bench/synthetic-snapshot';
import { prepareStatusModel, statusModelOf } from '../../src/status/model-cache';
import { buildStatusModel } from '../../src/status/model';
import type { Snapshot } from '../../src/snapshot/types';

// 12,000 connectors and 4,200 rule pairs: enough objects for the model to be built in many steps.
const base = syntheticSnapshot({ tenants: 200, connectors: 12_000, destinations: 400 }, Date.UTC(2026, 10, 26, 12));
const copy = (): Snapshot => ({ ...base });

describe('the status model built in time slices', () => {
  it('pauses between steps and gives the same model as the one-go build', async () => {
    const snapshot = copy();
    let pauses = 0;
    const model = await prepareStatusModel(snapshot, async () => {
      pauses += 1;
    });
    // Connectors, destinations and rules are judged in steps of 1,000 items: at least one pause per step.
    expect(pauses).toBeGreaterThanOrEqual(30);
    expect(model).toEqual(buildStatusModel(copy(), base.statusConfig));
    expect(model.groups.find((g) => g.id === 'connectors')!.components.length).toBeGreaterThan(0);
  });

  it('is the model statusModelOf serves afterwards, and concurrent callers share one build', async () => {
    const snapshot = copy();
    let pauses = 0;
    const pause = async () => {
      pauses += 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    const [first, second] = await Promise.all([prepareStatusModel(snapshot, pause), prepareStatusModel(snapshot, pause)]);
    expect(second).toBe(first);
    expect(statusModelOf(snapshot)).toBe(first);
    const pausesOfOneBuild = pauses;
    await prepareStatusModel(snapshot, pause);
    expect(pauses).toBe(pausesOfOneBuild);
  });
});
