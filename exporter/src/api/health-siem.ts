import type { SiemDestinationState } from '../snapshot/types';
import { isoOrNull } from './instant';

/** Delivered / (delivered + failed), to four decimals; null before the first delivery. */
const ratio = (ok: number, fail: number) => (ok + fail === 0 ? null : Math.round((ok / (ok + fail)) * 10_000) / 10_000);

/** One destination of GET /v1/health/siem. */
export function siemHealth(d: SiemDestinationState) {
  return {
    id: d.id,
    tenant: d.tenant,
    name: d.name,
    kind: d.kind,
    enabled: d.enabled,
    successRatio: { lifetime: ratio(d.deliveriesOk, d.deliveriesFail) },
    deliveries: { ok: d.deliveriesOk, failed: d.deliveriesFail },
    queue: { pending: d.pending, retrying: d.retrying },
    deadLetters: d.deadLetters,
    oldestPendingAt: isoOrNull(d.oldestPendingAt),
    lastDeliveryAt: isoOrNull(d.lastDeliveryAt),
    lastError: d.lastError,
    lastErrorAt: isoOrNull(d.lastErrorAt),
  };
}
