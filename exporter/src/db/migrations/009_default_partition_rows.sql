-- A row dated where no daily partition existed yet (a writer whose clock runs ahead, a run scheduled far
-- out) lands in the DEFAULT partition. PostgreSQL then refuses to create that day's partition ("updated
-- partition constraint for default partition would be violated"), which failed the whole maintenance run
-- once the day came within the week ahead. The rows of that day now move out of DEFAULT into the new
-- partition, in the same transaction, so maintenance goes on and every row stays where a partition drop
-- for its day will reach it.
CREATE OR REPLACE FUNCTION aperio_ensure_daily_partitions(parent text, from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date := from_day;
  created integer := 0;
  part text;
  default_part text := parent || '_default';
  waiting bigint;
BEGIN
  WHILE day < to_day LOOP
    part := parent || '_p' || to_char(day, 'YYYYMMDD');
    IF to_regclass(format('%I', part)) IS NULL THEN
      waiting := 0;
      IF to_regclass(format('%I', default_part)) IS NOT NULL THEN
        EXECUTE format('SELECT count(*) FROM %I WHERE "startedAt" >= %L AND "startedAt" < %L',
                       default_part, day::timestamptz, (day + 1)::timestamptz) INTO waiting;
      END IF;
      IF waiting > 0 THEN
        -- Held aside, then routed into the new partition through the parent (its triggers included).
        EXECUTE format('CREATE TEMP TABLE aperio_moving ON COMMIT DROP AS
                          WITH moved AS (DELETE FROM %I WHERE "startedAt" >= %L AND "startedAt" < %L RETURNING *)
                          SELECT * FROM moved',
                       default_part, day::timestamptz, (day + 1)::timestamptz);
      END IF;
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, day::timestamptz, (day + 1)::timestamptz);
      IF waiting > 0 THEN
        EXECUTE format('INSERT INTO %I SELECT * FROM aperio_moving', parent);
        DROP TABLE aperio_moving;
      END IF;
      created := created + 1;
    END IF;
    day := day + 1;
  END LOOP;
  RETURN created;
END $$;
