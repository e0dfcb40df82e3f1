import type { AppContext } from "../../../platform/context.js";
import type { Schedule } from "../../../platform/jobs/schedules.js";

/**
 * Deletes sessions and invitations past their expiry. An expired session is
 * already refused at sign-in lookup; the purge keeps the tables from holding
 * every session ever opened (and their hashes) for good.
 */
export async function purgeExpiredSessions(ctx: Pick<AppContext, "db" | "clock">): Promise<{ sessions: number; invitations: number }> {
  const now = ctx.clock.now().toISOString();
  const sessions = await ctx.db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  // Used invitations are kept: they show who was invited and when.
  const invitations = await ctx.db.deleteFrom("user_invitations").where("expires_at", "<=", now).where("used_at", "is", null).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), invitations: Number(invitations.numDeletedRows) };
}

/** Hourly; deleting is idempotent, so every worker may run it. */
export const purgeSessionsSchedule: Schedule = {
  name: "auth.purge-sessions",
  pattern: "0 41 * * * *",
  run: (ctx) => purgeExpiredSessions(ctx),
};
