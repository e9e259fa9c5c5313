import { parseArgs } from 'node:util';
import pg from 'pg';
import { createToken, listTokens, revokeToken, ROLES, TokenError, type Role, type TokenRecord } from '../auth/tokens';
import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { applyCoreFixture, migrate } from '../db/migrate';
import { checkConnection, createPool } from '../db/pool';
import { formatTable } from '../util/text-table';
import { resolveDatabase } from './database';

export const TOKENS_USAGE = `usage:
  aperio-exporter tokens create --role ADMIN|SECURITY_ANALYST|OPERATOR [--tenant SLUG] [--name NAME]
  aperio-exporter tokens list [--json]
  aperio-exporter tokens revoke <token-id>

ADMIN and SECURITY_ANALYST tokens are bound to one tenant (--tenant); OPERATOR tokens span all tenants.
The token is printed once, at creation; only its SHA-256 hash is stored.`;

/** `aperio-exporter tokens ...`: manages the API's bearer tokens in the ApiToken table. */
export async function tokensCommand(settings: Settings, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    process.stdout.write(TOKENS_USAGE + '\n');
    return sub ? 0 : 2;
  }
  const action = parse(sub, rest);
  return withDatabase(settings, async (pool) => {
    try {
      return await action(pool);
    } catch (err) {
      if (err instanceof TokenError) throw new UserError(err.message, 'see `aperio-exporter tokens help`');
      if ((err as { code?: string }).code === '42P01')
        throw new UserError('the ApiToken table does not exist', 'run `aperio-exporter migrate` first');
      throw err;
    }
  });
}

type Action = (pool: pg.Pool) => Promise<number>;

function parse(sub: string, args: string[]): Action {
  try {
    switch (sub) {
      case 'create': {
        const { values } = parseArgs({
          args,
          options: { role: { type: 'string' }, tenant: { type: 'string' }, name: { type: 'string' } },
          strict: true,
          allowPositionals: false,
        });
        const role = values.role?.toUpperCase();
        if (!role || !(ROLES as readonly string[]).includes(role))
          throw new UserError(`--role must be one of ${ROLES.join(', ')}`, TOKENS_USAGE);
        return async (pool) => {
          const { token, record } = await createToken(pool, { role: role as Role, tenant: values.tenant ?? null, name: values.name });
          process.stdout.write(`${token}\n`);
          process.stderr.write(`created ${record.id} (${describe(record)}); the token above is shown only this once\n`);
          return 0;
        };
      }
      case 'list': {
        const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false });
        return async (pool) => {
          const tokens = await listTokens(pool);
          if (values.json) process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
          else process.stdout.write(table(tokens));
          return 0;
        };
      }
      case 'revoke': {
        const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
        if (positionals.length !== 1) throw new UserError('tokens revoke takes exactly one token id', TOKENS_USAGE);
        return async (pool) => {
          if (!(await revokeToken(pool, positionals[0])))
            throw new UserError(`no token with id "${positionals[0]}"`, 'list them with `aperio-exporter tokens list`', 1);
          process.stdout.write(`revoked ${positionals[0]}\n`);
          return 0;
        };
      }
      default:
        throw new UserError(`unknown tokens command "${sub}"`, TOKENS_USAGE);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    // parseArgs explains unknown or incomplete flags well; only the stack is dropped.
    throw new UserError((err as Error).message, TOKENS_USAGE);
  }
}

function describe(t: TokenRecord): string {
  return `${t.role}${t.tenant ? ` of ${t.tenant}` : ''}, "${t.name}"`;
}

function table(tokens: TokenRecord[]): string {
  if (!tokens.length) return 'no tokens\n';
  const iso = (d: Date | null) => (d ? d.toISOString() : '-');
  const rows = [
    ['ID', 'ROLE', 'TENANT', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [t.id, t.role, t.tenant ?? '*', t.name, iso(t.createdAt), iso(t.lastUsedAt), iso(t.revokedAt)]),
  ];
  return formatTable(rows);
}

// Must match the embedded server's credentials (db/embedded.ts): a running `serve` is reused, not restarted.
const EMBEDDED_CREDENTIALS = 'postgres:aperio-demo';

async function withDatabase(settings: Settings, run: (pool: pg.Pool) => Promise<number>): Promise<number> {
  if (!settings.DATABASE_URL) {
    const running = `postgresql://${EMBEDDED_CREDENTIALS}@127.0.0.1:${settings.EMBEDDED_PG_PORT}/postgres`;
    const probe = new pg.Client({ connectionString: running, connectionTimeoutMillis: 1_000 });
    const reachable = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (reachable) return usePool(running, run, false);
  }
  const { url, embedded } = await resolveDatabase(settings);
  try {
    return await usePool(url, run, embedded !== null);
  } finally {
    await embedded?.stop();
  }
}

async function usePool(url: string, run: (pool: pg.Pool) => Promise<number>, prepare: boolean): Promise<number> {
  const pool = createPool(url, { max: 1, applicationName: 'aperio-exporter-tokens' });
  try {
    await checkConnection(pool, url);
    if (prepare) {
      await applyCoreFixture(pool);
      await migrate(pool);
    }
    return await run(pool);
  } finally {
    await pool.end();
  }
}
