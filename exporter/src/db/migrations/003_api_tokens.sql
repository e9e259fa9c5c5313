-- API tokens: only a SHA-256 hash of the token is stored; the token itself is shown once at creation.
CREATE TABLE "ApiToken" (
  id text PRIMARY KEY,
  "tokenHash" text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('OPERATOR', 'ADMIN', 'SECURITY_ANALYST')),
  "organizationId" text,
  name text NOT NULL,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "lastUsedAt" timestamptz,
  "revokedAt" timestamptz,
  CHECK ((role = 'OPERATOR') = ("organizationId" IS NULL))
);
