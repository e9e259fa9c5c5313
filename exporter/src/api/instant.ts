/** An instant as the API writes it: ISO 8601 in UTC, or null where the database has none. */
export const isoOrNull = (instant: Date | number | null): string | null => (instant === null ? null : new Date(instant).toISOString());
