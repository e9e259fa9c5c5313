import client from 'prom-client';

/**
 * prom-client stays the registry of the process's own metrics (CPU, memory, event loop, GC). One
 * registry per exposition format, because prom-client fixes the format per registry.
 */
const MISNAMED_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface ProcessRegistries {
  prometheus: client.Registry;
  openmetrics: client.Registry<client.OpenMetricsContentType>;
}

function withDefaultMetrics<T extends client.RegistryContentType>(registry: client.Registry<T>): client.Registry<T> {
  client.collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names with a counter's `_total` suffix: `promtool check metrics` rejects them.
  for (const name of MISNAMED_GAUGES) registry.removeSingleMetric(name);
  return registry;
}

export function createProcessRegistries(): ProcessRegistries {
  const openmetrics = new client.Registry<client.OpenMetricsContentType>();
  openmetrics.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  return { prometheus: withDefaultMetrics(new client.Registry()), openmetrics: withDefaultMetrics(openmetrics) };
}
