/**
 * Which runs serve schedule slots, and where on the schedule they sit. Only scheduler-started runs
 * (trigger SCHEDULE) serve a slot, whatever their outcome: a failed or skipped run still shows the job
 * was started on time, and its failure is counted elsewhere. MANUAL and EVENT runs never serve a slot.
 * A run sits at the slot it names (`scheduledFor`), or where it started when it names none.
 */
export const SERVING_TRIGGER = 'SCHEDULE';

/** SQL over a run table aliased `alias`: the filter and the reference time, in the same terms as below. */
export const servingRunSql = (alias: string) => `${alias}.trigger = '${SERVING_TRIGGER}'`;
export const referenceTimeSql = (alias: string) => `coalesce(${alias}."scheduledFor", ${alias}."startedAt")`;

export interface RunTiming {
  trigger: string;
  scheduledFor: number | null;
  startedAt: number;
}

export const servesSlots = (run: Pick<RunTiming, 'trigger'>) => run.trigger === SERVING_TRIGGER;
export const referenceTime = (run: Pick<RunTiming, 'scheduledFor' | 'startedAt'>) => run.scheduledFor ?? run.startedAt;

/**
 * How far back the snapshot looks for a job's latest serving runs (SQL, per row): far enough to see the
 * latest due slot's catchment (at most a period and a half back, plus grace), near enough that partition
 * pruning keeps the read to a few partitions. Cron schedules are read over a fortnight: weekly at most.
 */
export const servingLookbackSql = (cronColumn: string, intervalSecondsColumn: string) =>
  `CASE WHEN ${cronColumn} IS NOT NULL THEN interval '15 days' ELSE greatest(3 * ${intervalSecondsColumn}, 86400) * interval '1 second' END`;
