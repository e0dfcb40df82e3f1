import type { AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { inviteEligibleRecipients } from "../../providers/embedded/commands/invite-recipients.js";
import { stillToAct } from "../../providers/embedded/eligibility.js";
import { lockEnvelope, openStatuses } from "../envelope-state.js";

/** Built-in provider: after a removal, invite whoever may act now, or finish when nobody is left to act. */
export async function afterRecipientsChanged(ctx: AppContext, envelopeId: string) {
  await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, envelopeId);
    if (envelope.provider !== "embedded" || !openStatuses.includes(envelope.status)) return;
    const recipients = await tx.selectFrom("recipients").selectAll().where("envelope_id", "=", envelopeId).where("removed_at", "is", null).execute();
    const acted = recipients.some((r) => r.acted_at);
    if (stillToAct(recipients).length === 0 && acted) await enqueue(ctx, tx, "envelope.complete", { envelopeId }, { dedupeKey: `complete:${envelopeId}` });
    else await inviteEligibleRecipients(ctx, envelopeId, tx);
  });
  ctx.notifyJobs();
}
