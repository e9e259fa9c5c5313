import { ageText, iso, type Check } from '../types';

/**
 * The exporter's own data is too old: the last collection in which every collector succeeded is older
 * than max_age. The finding is written only if the database still takes writes, so it mostly reports
 * slow or failing collectors (statement timeouts, a missing column) rather than an outage.
 */
export const exporterStaleData: Check = ({ snapshot, config, now }) => {
  const c = config.exporter_stale_data;
  // Before the first complete collection there is no data to be stale yet (dataAsOf 0).
  if (snapshot.dataAsOf === 0 || now - snapshot.dataAsOf <= c.maxAgeSeconds * 1000) return { observations: [], suppressed: [] };
  const failing = snapshot.collections.filter((s) => !s.success).map((s) => `${s.collector} (${s.error ?? 'failed'})`);
  return {
    observations: [
      {
        check: 'aperio.platform.exporter_stale_data',
        subject: 'exporter',
        tenantId: null,
        severity: c.severity,
        title: `Observability data is ${ageText(now - snapshot.dataAsOf)} old`,
        description:
          `The exporter's last complete collection finished at ${iso(snapshot.dataAsOf)}, more than ${ageText(c.maxAgeSeconds * 1000)} ago` +
          `${failing.length ? `; failing collectors: ${failing.join(', ')}` : ''}. Metrics and the status page show older data until this clears. ` +
          `Look at aperio_exporter_collect_success and the exporter's logs.`,
      },
    ],
    suppressed: [],
  };
};
