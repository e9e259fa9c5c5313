import { z } from 'zod';
import { loadYamlConfig } from '../config/yaml-file';
import type { MaintenanceWindow } from '../snapshot/status-config';

/**
 * Declared maintenance windows (STATUS_MAINTENANCE_FILE). Read once at startup: requests and
 * collections never touch the file. Example in docs/status.md.
 */
const isoTime = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 time' });
  return ms;
});
const windowSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().min(1),
    body: z.string().default(''),
    starts_at: isoTime,
    ends_at: isoTime,
    components: z.array(z.string()).min(1),
  })
  .strict()
  .refine((w) => w.ends_at > w.starts_at, { message: 'ends_at must be after starts_at' });
const fileSchema = z.object({ maintenances: z.array(windowSchema).default([]) }).strict();

export function loadMaintenance(path: string | undefined): MaintenanceWindow[] {
  if (!path) return [];
  const parsed = loadYamlConfig(
    path,
    fileSchema,
    'STATUS_MAINTENANCE_FILE',
    'expected {maintenances: [{id, name, body, starts_at, ends_at, components: [<component id>]}]}; see docs/status.md',
  );
  return parsed.maintenances.map((w) => ({
    id: w.id,
    name: w.name,
    body: w.body,
    startsAt: w.starts_at,
    endsAt: w.ends_at,
    components: w.components,
  }));
}

export const isActive = (w: MaintenanceWindow, now: number): boolean => w.startsAt <= now && now < w.endsAt;
/** Upcoming and in-progress windows: what Statuspage lists under scheduled_maintenances. */
export const isListed = (w: MaintenanceWindow, now: number): boolean => now < w.endsAt;
