-- Where the OpenTelemetry run tailer stands in each run table: every row with id <= "lastId" has been
-- exported as a span. Written only after the spans were accepted by the OTLP endpoint, so a restart
-- resumes exactly there (no span lost, none sent twice).
CREATE TABLE "TelemetryTail" (
  name text PRIMARY KEY,
  "lastId" bigint NOT NULL,
  "updatedAt" timestamptz NOT NULL DEFAULT now()
);
