import type { Collector } from '../snapshot/collector-types';
import { CHECKS, type PlatformFinding } from '../snapshot/platform-findings';

// `category = ANY(checks) AND status = 'OPEN'` is served by the fixture's Finding_open_category_idx.
const SQL = `
SELECT id::text AS id, category AS check, "dedupKey", "organizationId"::text AS "tenantId", severity, title, "createdAt", "updatedAt"
FROM "Finding" WHERE status = 'OPEN' AND category = ANY($1::text[])
ORDER BY "createdAt", id LIMIT 1000`;

export const platformFindingsCollector: Collector<'platformFindings'> = {
  name: 'findings',
  field: 'platformFindings',
  async collect(client) {
    const { rows } = await client.query<Omit<PlatformFinding, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date }>(SQL, [
      CHECKS,
    ]);
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.getTime(), updatedAt: row.updatedAt.getTime() }));
  },
};
