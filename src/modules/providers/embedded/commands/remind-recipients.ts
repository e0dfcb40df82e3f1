import type { AppContext } from "../../../../platform/context.js";
import { inTransaction } from "../../../../platform/db/transaction.js";
import { recordEnvelopeEvent } from "../../../envelopes/events.js";
import { lockEnvelope, openStatuses } from "../../../envelopes/envelope-state.js";
import { eligibleNow } from "../../../envelopes/eligibility.js";
import { issueInvitation } from "./invite-recipients.js";
import { activeRecipients, openEnvelopeIds } from "../../../envelopes/queries.js";

const dayMs = 86_400_000;

/**
 * Built-in provider reminders: every `reminderEveryDays`, recipients whose
 * turn it is and who have not acted get the link again (TOTVS Sign does this
 * itself from `intervaloLembrete`). Safe on several workers at once: each
 * envelope is locked and re-read before anyone is mailed.
 */
export async function remindPendingRecipients(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const candidates = await openEnvelopeIds(ctx.db, "embedded", { reminding: true });
  let reminded = 0;
  for (const id of candidates) {
    await inTransaction(ctx, async (tx) => {
      const envelope = await lockEnvelope(ctx, tx, id);
      if (!openStatuses.includes(envelope.status) || !envelope.reminder_every_days) return;
      if (envelope.expires_at && Date.parse(envelope.expires_at) <= now.getTime()) return;
      const recipients = await activeRecipients(tx, id);
      for (const recipient of eligibleNow(envelope, recipients)) {
        const lastContact = recipient.reminded_at ?? recipient.invited_at;
        if (!lastContact || now.getTime() - Date.parse(lastContact) < envelope.reminder_every_days * dayMs) continue;
        await issueInvitation(ctx, tx, envelope, recipient, { kind: "reminder" });
        await recordEnvelopeEvent(ctx, tx, id, "recipient.reminded", { label: "obrasign" }, { recipientId: recipient.id, email: recipient.email });
        reminded++;
      }
    });
  }
  if (reminded) ctx.notifyJobs();
  return reminded;
}
