import type { ApiErrorBody } from './types';

export type ApiErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'grafana_forbidden'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server'
  | 'not_configured';

/** A failed call through the plugin proxy, classified so every page can explain it the same way. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const isExporterBody = (data: unknown): data is ApiErrorBody => {
  const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
};

const grafanaMessage = (data: unknown): string | undefined =>
  typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
    ? (data as { message: string }).message
    : undefined;

/**
 * Grafana answers some failures itself (route role check, unreachable upstream), the exporter the rest
 * with its JSON error body; telling them apart is what makes "why does this fail" answerable.
 */
export function toApiError(status: number, data: unknown, statusText?: string): ApiError {
  const body = isExporterBody(data) ? data.error : undefined;
  const message = body?.message ?? grafanaMessage(data) ?? statusText ?? `HTTP ${status}`;
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    return new ApiError('unreachable', status, message);
  }
  if (status === 401) {
    return new ApiError('unauthorized', status, message, body?.code);
  }
  if (status === 403) {
    return new ApiError(
      body ? 'forbidden' : 'grafana_forbidden',
      status,
      message,
      body?.code,
      body?.field ?? undefined
    );
  }
  if (status === 404) {
    return new ApiError('not_found', status, message, body?.code);
  }
  if (status === 429) {
    return new ApiError('rate_limited', status, message, body?.code);
  }
  if (status >= 400 && status < 500) {
    return new ApiError('bad_request', status, message, body?.code, body?.field ?? undefined);
  }
  return new ApiError('server', status, message, body?.code);
}

/** One sentence a user can act on, per kind of failure. */
export function explainError(error: ApiError): string {
  switch (error.kind) {
    case 'unreachable':
      return 'Grafana could not reach the exporter: check the exporter URL, that the exporter runs, and its TLS certificate if the URL is https.';
    case 'unauthorized':
      return 'The exporter rejected the API token (unknown, revoked or missing). Create a new one with `aperio-exporter tokens create` and save it in the plugin configuration.';
    case 'forbidden':
      return "The API token's role may not use this view (health needs ADMIN or OPERATOR), or it names another tenant.";
    case 'grafana_forbidden':
      return 'Your Grafana role may not open this view (health: Admin, audit log: Editor, status: Viewer).';
    case 'not_found':
      return 'The exporter does not know this route: it may be older than this plugin, or the URL points at another service.';
    case 'rate_limited':
      return 'Too many requests with bad tokens came from Grafana; the exporter asks to wait before retrying.';
    case 'bad_request':
      return error.field
        ? `The exporter rejected the parameter "${error.field}".`
        : 'The exporter rejected the request.';
    case 'not_configured':
      return 'The plugin is not configured yet.';
    default:
      return 'The exporter failed to answer; its log has the details.';
  }
}
