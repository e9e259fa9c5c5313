import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import type { PluginMeta } from '@grafana/data';
import { getJson, proxyUrl } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Whoami } from '../../api/types';
import type { AppSettings } from '../../types';

export type ConnectionResult =
  { ok: true; whoami: Whoami } | { ok: false; error: ApiError; title: string; detail: string };

/** The test goes through the same proxy route the pages use, so it proves the whole path, token included. */
export async function testConnection(): Promise<ConnectionResult> {
  try {
    const whoami = await getJson<Whoami>(proxyUrl('whoami'));
    return { ok: true, whoami };
  } catch (e) {
    const error = e instanceof ApiError ? e : new ApiError('server', 0, String(e));
    return { ok: false, error, ...diagnose(error) };
  }
}

export function diagnose(error: ApiError): { title: string; detail: string } {
  switch (error.kind) {
    case 'unreachable':
      return {
        title: 'The exporter is unreachable',
        detail: `Grafana's server could not connect to the exporter URL (HTTP ${error.status}: ${error.message}). Check the URL as seen from the Grafana server (not your browser), that the exporter is running, and for https URLs that Grafana trusts its certificate.`,
      };
    case 'unauthorized':
      return {
        title: 'The token was rejected (401)',
        detail: `The exporter does not accept this token: it is unknown, revoked or was not saved. Create one with "aperio-exporter tokens create --role ADMIN --tenant <slug>" and save it here. (${error.message})`,
      };
    case 'forbidden':
      return {
        title: 'The token may not use this route (403)',
        detail: `The exporter refused the token's role or tenant: ${error.message}`,
      };
    case 'grafana_forbidden':
      return {
        title: 'Grafana refused the request (403)',
        detail: `Your Grafana role may not use the plugin's routes: ${error.message}`,
      };
    case 'not_found':
      return {
        title: 'The exporter is too old or the URL is wrong (404)',
        detail:
          'The URL answered but has no /api/v1/whoami: upgrade the exporter to a version with the API, or point the URL at the exporter (default port 9464) rather than another service.',
      };
    case 'rate_limited':
      return { title: 'Too many failed attempts (429)', detail: error.message };
    default:
      return { title: `The exporter answered with an error (HTTP ${error.status})`, detail: error.message };
  }
}

export async function saveSettings(
  meta: PluginMeta<AppSettings>,
  settings: AppSettings,
  token: string | null
): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${meta.id}/settings`,
      method: 'POST',
      data: {
        enabled: true,
        pinned: true,
        jsonData: { ...meta.jsonData, ...settings },
        // Leaving secureJsonData out keeps the stored token; Grafana never sends it back to the browser.
        secureJsonData: token === null ? undefined : { token },
      },
    })
  );
}
