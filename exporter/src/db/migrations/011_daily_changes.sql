-- The change log also names the days of the daily rollups that a rollup changed after they had closed
-- (a re-rolled hour whose runs were written, corrected or removed late): the status history keeps the
-- sums of closed days between collections and re-reads them only when this log names a day before the
-- rollup watermark's (src/status/history-read.ts). Such a row has no tenant; its key is the earliest
-- day the statement changed, YYYY-MM-DD. The daily rollups are the exporter's own tables and only its
-- rollup writes them, so the rollup logs these rows itself (src/runs/rollup.ts).
ALTER TABLE "RunChange" DROP CONSTRAINT "RunChange_table_check";
ALTER TABLE "RunChange" ADD CONSTRAINT "RunChange_table_check"
  CHECK ("table" IN ('RuleRun', 'ConnectorSyncRun', 'RuleRunDaily', 'ConnectorSyncDaily'));
