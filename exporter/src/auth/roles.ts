/**
 * The API token roles and which of them each API surface admits, written once: the routes enforce
 * these lists and the OpenAPI document (and through it the Grafana plugin's types) states them.
 */
export const ROLES = ['OPERATOR', 'ADMIN', 'SECURITY_ANALYST'] as const;
export type Role = (typeof ROLES)[number];

/** The operators' health panels: not for SECURITY_ANALYST, whose work is the audit log. */
export const HEALTH_ROLES = ['ADMIN', 'OPERATOR'] as const satisfies readonly Role[];
/** The rule-run and connector-sync audit log and the schedules. */
export const AUDIT_ROLES = ['ADMIN', 'SECURITY_ANALYST', 'OPERATOR'] as const satisfies readonly Role[];
