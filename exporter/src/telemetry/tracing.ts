import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../server/version';
import { tracesEndpoint, tracesProtocol, type Env, type OtlpProtocol } from './config';
import { RunIdGenerator } from './ids';

/** The tracer that turns run rows into spans, and the means to know the spans were delivered. */
export interface RunTracing {
  readonly tracer: Tracer;
  readonly ids: RunIdGenerator;
  readonly protocol: OtlpProtocol;
  /** Resolves once every ended span was accepted by the endpoint; rejects if an export failed. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Builds the provider from the standard variables, or returns null when no endpoint is set: then no
 * exporter, processor or provider exists at all. The OTLP exporters read the endpoint, headers, timeout
 * and compression themselves; the resource comes from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 * The provider is not registered globally: it only carries the run spans, with ids chosen per run.
 */
export function createRunTracing(env: Env = process.env): RunTracing | null {
  if (!tracesEndpoint(env)) return null;
  const protocol = tracesProtocol(env);
  const processor = new BatchSpanProcessor(createExporter(protocol));
  const ids = new RunIdGenerator();
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'aperio-exporter' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, idGenerator: ids, spanProcessors: [processor] });
  return {
    tracer: provider.getTracer('aperio-exporter/runs', VERSION),
    ids,
    protocol,
    // The processor's own forceFlush rejects on a failed export; the provider's would swallow it.
    flush: () => processor.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

// The three OTLP trace exporters are direct dependencies, not @opentelemetry/sdk-node: NodeSDK would
// register a global provider and choose ids itself, while run spans need ids derived from the run and a
// provider of their own. So we pick the exporter from OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL as sdk-node
// would; each exporter reads the endpoint, headers, timeout and compression variables itself.
function createExporter(protocol: OtlpProtocol): SpanExporter {
  if (protocol === 'http/json') return new OTLPJsonTraceExporter();
  if (protocol === 'grpc') return new OTLPGrpcTraceExporter();
  return new OTLPProtoTraceExporter();
}
