-- Aperio's ids may be text, uuid or integers. The tables created by 001-003 store the ids they refer to
-- as text; here each such column takes the type of the id it refers to, so joins and filters compare
-- like with like (and use their indexes). A database whose ids are text is left as it is.
DO $$
DECLARE
  ref record;
  wanted text;
  have text;
BEGIN
  FOR ref IN
    SELECT * FROM (VALUES
      ('RuleRun', 'organizationId', 'Organization'), ('RuleRun', 'ruleId', 'DetectionRule'),
      ('ConnectorSyncRun', 'organizationId', 'Organization'), ('ConnectorSyncRun', 'connectionId', 'IntegrationConnection'),
      ('RuleRunHourly', 'organizationId', 'Organization'), ('RuleRunHourly', 'ruleId', 'DetectionRule'),
      ('RuleRunTotal', 'organizationId', 'Organization'), ('RuleRunTotal', 'ruleId', 'DetectionRule'),
      ('ConnectorSyncHourly', 'organizationId', 'Organization'), ('ConnectorSyncHourly', 'connectionId', 'IntegrationConnection'),
      ('ConnectorSyncTotal', 'organizationId', 'Organization'), ('ConnectorSyncTotal', 'connectionId', 'IntegrationConnection'),
      ('ApiToken', 'organizationId', 'Organization')
    ) AS r(tbl, col, source)
  LOOP
    SELECT format_type(a.atttypid, a.atttypmod) INTO wanted FROM pg_attribute a
     WHERE a.attrelid = to_regclass(format('%I', ref.source)) AND a.attname = 'id' AND NOT a.attisdropped;
    SELECT format_type(a.atttypid, a.atttypmod) INTO have FROM pg_attribute a
     WHERE a.attrelid = to_regclass(format('%I', ref.tbl)) AND a.attname = ref.col AND NOT a.attisdropped;
    IF wanted IS NOT NULL AND have IS NOT NULL AND wanted <> have THEN
      EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE %s USING %I::%s', ref.tbl, ref.col, wanted, ref.col, wanted);
    END IF;
  END LOOP;
END $$;
