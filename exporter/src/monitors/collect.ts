import type { Collector } from '../snapshot/collector-types';
import { CHECKS, type CheckName, type Severity } from './types';

/** An open platform finding as the snapshot carries it: what /metrics and the status page show. */
export interface PlatformFinding {
  id: string;
  check: CheckName;
  dedupKey: string;
  tenantId: string | null;
  severity: Severity;
  title: string;
  createdAt: number;
  updatedAt: number;
}

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
