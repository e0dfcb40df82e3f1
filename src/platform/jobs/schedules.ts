import { Cron } from "croner";
import type { AppContext } from "../context.js";

/**
 * Periodic work run by each worker process. Every scheduled task must be
 * safe to run on several workers at once (conditional updates), since
 * workers do not elect a leader.
 */
export interface Schedule {
  name: string;
  /** Cron pattern with seconds, e.g. "0 * * * * *" for every minute. */
  pattern: string;
  run(ctx: AppContext): Promise<unknown>;
}

export function startSchedules(ctx: AppContext, schedules: readonly Schedule[]): { stop(): void } {
  const crons = schedules.map(
    (s) =>
      new Cron(s.pattern, { protect: true, catch: (error) => ctx.log.error({ schedule: s.name, err: (error as Error).message }, "scheduled task failed") }, async () => {
        await s.run(ctx);
      }),
  );
  return { stop: () => crons.forEach((c) => c.stop()) };
}
