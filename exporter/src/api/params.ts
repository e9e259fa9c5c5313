import { z } from 'zod';
import { badRequest } from './errors';

/**
 * Strict query-string parsing: every parameter must be known, given once and valid, and the first
 * problem is answered as a 400 naming the parameter (clients fix one thing at a time, with its name).
 */
export type QueryShape = Record<string, z.ZodType>;
export type ParsedQuery<S extends QueryShape> = { [K in keyof S]: z.output<S[K]> };

export function parseQuery<S extends QueryShape>(query: unknown, shape: S): ParsedQuery<S> {
  const raw = (query ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) {
      throw badRequest(
        key,
        `unknown parameter "${key}"; this route accepts: ${Object.keys(shape).join(', ') || 'none'}`,
        'unknown_parameter',
      );
    }
    if (typeof value !== 'string') throw badRequest(key, `"${key}" must be given once, as a plain value`);
  }
  const result = z.object(shape).strict().safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue.path[0] ?? '');
    throw badRequest(field, `${field}: ${issue.message}`);
  }
  return result.data as ParsedQuery<S>;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

// Date.parse quietly rolls 2026-02-31 over into March; a typo in an audit window must not.
function validIso(text: string): boolean {
  const m = ISO_8601.exec(text);
  if (!m || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return false;
  return m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60);
}

/**
 * The instants the API takes and gives back: the years 0000 to 9999 of ISO 8601's four-digit years,
 * inside JavaScript's Date range (toISOString never throws) and PostgreSQL's timestamptz range.
 */
export const EARLIEST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00Z
export const LATEST_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z

/** ISO 8601 date or date-time; a time needs a zone (Z or ±hh:mm) so that nobody's local time is guessed. */
export const isoInstant = z
  .string()
  .refine(validIso, {
    message: 'expected an ISO 8601 date or date-time with a zone, e.g. 2026-11-26 or 2026-11-26T12:00:00Z',
  })
  .transform((s) => Date.parse(s))
  .refine((ms) => ms >= EARLIEST_MS && ms < LATEST_MS, { message: 'must lie between the years 0000 and 9999 (UTC)' });

export const nonNegativeInt = (max = 2_147_483_647) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { message: 'expected a non-negative whole number' })
    .transform(Number)
    .refine((n) => n <= max, { message: `must be at most ${max}` });

/** A comma-separated list of values from a fixed set, e.g. status=FAILED,TIMED_OUT. */
export const enumList = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .transform((s) => s.split(',').map((part) => part.trim()))
    .refine((parts) => parts.every((p) => (values as readonly string[]).includes(p)), {
      message: `expected one or more of ${values.join(', ')}, separated by commas`,
    })
    .transform((parts) => [...new Set(parts)].sort() as T[]);

// No control characters: a NUL byte in particular is refused by PostgreSQL, which would make it a 500.
export const shortText = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(200, { message: 'must be at most 200 characters' })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });
