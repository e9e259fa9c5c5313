/**
 * OpenTelemetry is configured only by the standard OTEL_* variables, read by the SDK itself. This file
 * answers the two questions the SDK leaves to us: is export wanted at all, and over which protocol.
 */
export type Env = Record<string, string | undefined>;

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** The traces endpoint, or null: with none set, nothing of the SDK is created (export is off and costless). */
export function tracesEndpoint(env: Env = process.env): string | null {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return null;
  const endpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? '').trim() || (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim();
  return endpoint || null;
}

/** The specification's default is http/protobuf; an unknown value falls back to it, as sdk-node does. */
export function tracesProtocol(env: Env = process.env): OtlpProtocol {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? '').trim() || (env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim();
  return value === 'http/json' || value === 'grpc' ? value : 'http/protobuf';
}
