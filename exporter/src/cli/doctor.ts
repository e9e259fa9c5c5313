import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { checkSchema, type Check } from '../db/doctor';
import { probeCollection, probeMonitorWrites } from '../db/doctor-probes';
import { logger } from '../log';
import { checkConnection, createPool, redactUrl } from '../db/pool';
import { resolveDatabase } from './database';

/**
 * Prints one line per check; exit code 1 if any check that matters failed. Beyond the schema, it runs
 * one real collection and one dry monitor cycle, so that "all checks passed" means serve will work.
 */
export async function doctor(settings: Settings): Promise<number> {
  const { url, embedded } = await resolveDatabase(settings);
  const pool = createPool(url, { max: 3 });
  const print = (check: Check) =>
    process.stdout.write(
      `${check.ok ? 'pass' : check.warning ? 'warn' : 'FAIL'}  ${check.name}${check.detail ? `: ${check.detail}` : ''}\n`,
    );
  try {
    try {
      await checkConnection(pool, url);
      print({ name: `connect to ${redactUrl(url)}`, ok: true });
    } catch (err) {
      print({
        name: `connect to ${redactUrl(url)}`,
        ok: false,
        detail: err instanceof UserError ? `${err.message} (${err.hint})` : String(err),
      });
      return 1;
    }
    const checks = await checkSchema(pool);
    checks.forEach(print);
    if (checks.find((c) => c.name === 'migrations')?.ok) {
      // The collector's own warnings would repeat what the checks print.
      const level = logger.level;
      logger.level = 'silent';
      try {
        const probes = [...(await probeCollection(pool, settings)), ...(await probeMonitorWrites(pool))];
        probes.forEach(print);
        checks.push(...probes);
      } finally {
        logger.level = level;
      }
    }
    const failed = checks.filter((c) => !c.ok && !c.warning).length;
    process.stdout.write(failed ? `${failed} check(s) failed\n` : 'all checks passed\n');
    return failed ? 1 : 0;
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
