import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { checkConnection, createPool } from '../db/pool';
import { formatReport } from '../verify/report';
import { verifyOptions } from '../verify/options';
import { verify } from '../verify/verify';
import { resolveDatabase } from './database';

/** Prints what was compared and every difference; exit code 0 without a difference, 1 with one. */
export async function verifyCommand(settings: Settings, args: string[]): Promise<number> {
  if (args.length)
    throw new UserError(
      `verify takes no arguments, got "${args.join(' ')}"`,
      'configure it with VERIFY_SAMPLE_TENANTS and STATEMENT_TIMEOUT_MS',
    );
  const options = verifyOptions(settings);
  const { url, embedded } = await resolveDatabase(settings);
  const pool = createPool(settings.DATABASE_READ_URL ?? url, { max: 1, applicationName: 'aperio-exporter-verify' });
  try {
    await checkConnection(pool, settings.DATABASE_READ_URL ?? url);
    let result;
    try {
      result = await verify(pool, options);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const what =
        code === '57014' ? `a query ran longer than STATEMENT_TIMEOUT_MS=${settings.STATEMENT_TIMEOUT_MS}` : (err as Error).message;
      throw new UserError(
        `verify could not read the database: ${what}`,
        'run `aperio-exporter doctor`; raise STATEMENT_TIMEOUT_MS or lower VERIFY_SAMPLE_TENANTS',
      );
    }
    process.stdout.write(formatReport(result));
    return result.differences.length ? 1 : 0;
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
