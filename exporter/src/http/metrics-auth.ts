import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import YAML from 'yaml';
import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';

/**
 * Who may scrape /metrics, and over what. Two documented choices, combinable:
 * - `METRICS_WEB_CONFIG`: a web configuration file in the convention of Prometheus and its exporters
 *   (prometheus/exporter-toolkit): `tls_server_config` (cert_file, key_file) serves the whole port over
 *   TLS, `basic_auth_users` maps user names to bcrypt hashes;
 * - `METRICS_TOKEN`: `Authorization: Bearer <token>`, as Prometheus sends with `authorization.credentials_file`.
 */
export interface MetricsAccess {
  /** null: /metrics is open to anyone who reaches the port. */
  authorize: ((authorization: string | undefined) => boolean | Promise<boolean>) | null;
  /** The WWW-Authenticate challenge of a 401. */
  challenge: string;
  tls: { cert: Buffer; key: Buffer } | null;
}

interface WebConfig {
  tls_server_config?: { cert_file?: string; key_file?: string };
  basic_auth_users?: Record<string, string>;
}

const KNOWN = { top: ['tls_server_config', 'basic_auth_users'], tls: ['cert_file', 'key_file'] };

function fail(file: string, problem: string): never {
  throw new UserError(`METRICS_WEB_CONFIG ${file}: ${problem}`, 'see docs/metrics.md (the web configuration file of Prometheus exporters)');
}

export function readWebConfig(file: string): { users: Map<string, string>; tls: MetricsAccess['tls'] } {
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    fail(file, (err as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(file, 'expected a mapping');
  const config = parsed as WebConfig;
  for (const key of Object.keys(config))
    if (!KNOWN.top.includes(key)) fail(file, `unknown key "${key}" (supported: ${KNOWN.top.join(', ')})`);
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(config.basic_auth_users ?? {})) {
    if (typeof hash !== 'string' || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash))
      fail(file, `basic_auth_users.${user}: expected a bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')`);
    users.set(user, hash);
  }
  const tls = config.tls_server_config ? readTls(file, config.tls_server_config) : null;
  return { users, tls };
}

function readTls(file: string, t: NonNullable<WebConfig['tls_server_config']>): NonNullable<MetricsAccess['tls']> {
  for (const key of Object.keys(t))
    if (!KNOWN.tls.includes(key)) fail(file, `tls_server_config: unknown key "${key}" (supported: ${KNOWN.tls.join(', ')})`);
  if (!t.cert_file || !t.key_file) fail(file, 'tls_server_config needs cert_file and key_file');
  // Relative paths are relative to the file itself, as in exporter-toolkit.
  const read = (name: 'cert_file' | 'key_file') => {
    const target = path.resolve(path.dirname(file), t[name]!);
    try {
      return fs.readFileSync(target);
    } catch (err) {
      return fail(file, `tls_server_config.${name}: ${(err as Error).message}`);
    }
  };
  return { cert: read('cert_file'), key: read('key_file') };
}

/** A bcrypt check costs tens of milliseconds: a credential that passed once is remembered (by its hash). */
const VERIFIED_CACHE_SIZE = 64;

export function metricsAccess(settings: Pick<Settings, 'METRICS_TOKEN' | 'METRICS_WEB_CONFIG'>): MetricsAccess {
  const web = settings.METRICS_WEB_CONFIG ? readWebConfig(settings.METRICS_WEB_CONFIG) : { users: new Map<string, string>(), tls: null };
  const token = settings.METRICS_TOKEN ? Buffer.from(settings.METRICS_TOKEN) : null;
  if (!token && web.users.size === 0) return { authorize: null, challenge: '', tls: web.tls };
  const verified = new Set<string>();
  const bearer = (value: string) => {
    const given = Buffer.from(value.trim());
    return token !== null && given.length === token.length && timingSafeEqual(given, token);
  };
  const basic = (value: string): boolean | Promise<boolean> => {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const hash = colon > 0 ? web.users.get(decoded.slice(0, colon)) : undefined;
    if (!hash) return false;
    const key = createHash('sha256').update(decoded).digest('base64');
    if (verified.has(key)) return true;
    return bcrypt.compare(decoded.slice(colon + 1), hash).then((ok) => {
      if (ok) {
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.values().next().value!);
        verified.add(key);
      }
      return ok;
    });
  };
  const challenges = [...(token ? ['Bearer realm="metrics"'] : []), ...(web.users.size ? ['Basic realm="metrics"'] : [])];
  return {
    authorize: (authorization) => {
      const match = /^(Bearer|Basic)\s+(.+)$/i.exec(authorization ?? '');
      if (!match) return false;
      return match[1].toLowerCase() === 'bearer' ? bearer(match[2]) : basic(match[2]);
    },
    challenge: challenges.join(', '),
    tls: web.tls,
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * The warning logged at startup when /metrics can be read from other hosts without credentials while it
 * carries tenant labels (slugs, connector names); null when there is nothing to warn about.
 */
export function metricsExposureWarning(settings: Pick<Settings, 'HOST' | 'METRICS_DETAIL'>, access: MetricsAccess): string | null {
  if (access.authorize || LOOPBACK.test(settings.HOST) || settings.METRICS_DETAIL === 'platform') return null;
  return (
    `/metrics listens on ${settings.HOST} without authentication and carries every tenant's slug and connector names ` +
    `(METRICS_DETAIL=${settings.METRICS_DETAIL}). Set METRICS_TOKEN or METRICS_WEB_CONFIG (basic auth, TLS), ` +
    'listen on loopback (HOST=127.0.0.1), or use METRICS_DETAIL=platform for scrapers that must not see tenants'
  );
}
