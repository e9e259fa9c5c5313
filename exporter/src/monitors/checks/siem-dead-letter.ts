import type { Check, Suppression } from '../types';

export const siemKey = (id: string) => `siem:${id}`;

/**
 * New dead letters on an enabled destination within the window, or a delivery failure ratio above the
 * threshold. The snapshot's figures are cumulative, so both come from deltas against earlier snapshots;
 * until those cover the whole window, a destination that shows nothing wrong yet is unknown, not clear.
 */
export const siemDeadLetter: Check = ({ snapshot, config, history }) => {
  const c = config.siem_dead_letter;
  const unknown: Suppression[] = [];
  const observations = snapshot.siemDestinations
    .filter((d) => d.enabled)
    .flatMap((d) => {
      const delta = history.delta(siemKey(d.id), snapshot.takenAt, c.windowSeconds * 1000, [
        d.deadLetters,
        d.deliveriesOk,
        d.deliveriesFail,
      ]);
      const notYet = () => {
        unknown.push({ check: 'aperio.platform.siem_dead_letter', subject: `destination:${d.id}`, reason: 'less history than the window' });
        return [];
      };
      if (!delta) return notYet();
      const [dead, ok, fail] = delta.deltas;
      const attempts = ok + fail;
      const ratio = attempts ? fail / attempts : 0;
      const minutes = Math.round(delta.spanMs / 60_000);
      const reasons: string[] = [];
      if (dead >= c.newDeadLetters) reasons.push(`${dead} new dead letter${dead === 1 ? '' : 's'} in the last ${minutes} min`);
      if (attempts >= c.minDeliveries && ratio > c.failureRatio)
        reasons.push(`${fail} of ${attempts} deliveries failed in the last ${minutes} min`);
      if (!reasons.length) return delta.complete ? [] : notYet();
      return [
        {
          check: 'aperio.platform.siem_dead_letter' as const,
          subject: `destination:${d.id}`,
          tenantId: d.tenantId,
          severity: c.severity,
          title: `SIEM destination ${d.name} (${d.kind}, ${d.tenant}) is dead-lettering findings`,
          description:
            `${reasons.join('; ')} for ${d.kind} destination ${d.id} of tenant ${d.tenant} (${d.deadLetters} dead letters in total)` +
            `${d.lastError ? `; last error: ${d.lastError}` : ''}. Check the destination's endpoint and credentials; dead letters are SiemDelivery rows with status DEAD_LETTER.`,
        },
      ];
    });
  return { observations, suppressed: [], unknown };
};
