import type { Actor, AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { recordEnvelopeEvent, sourceOfActor } from "../events.js";
import { lockEnvelope, openStatuses } from "../envelope-state.js";
import { eligibleNow } from "../../providers/embedded/eligibility.js";
import { issueInvitation } from "../../providers/embedded/commands/invite-recipients.js";

/**
 * Mails a recipient of a built-in envelope a new signing link. The new token
 * replaces the old one (a lost or forwarded link stops working). TOTVS Sign
 * resends through its own reminders: there is no call for it.
 */
export async function resendInvitation(ctx: AppContext, actor: Actor, envelopeId: string, recipientId: string, meta: { ip?: string | null } = {}) {
  await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, envelopeId);
    if (envelope.provider !== "embedded") throw new AppError("conflict", "TOTVS Sign resends invitations by its own reminders (intervaloLembrete); obrasign has no call for it");
    if (!openStatuses.includes(envelope.status)) throw new AppError("invalid_transition", `The envelope is ${envelope.status}: there is nobody to invite`);
    const recipients = await tx.selectFrom("recipients").selectAll().where("envelope_id", "=", envelopeId).where("removed_at", "is", null).execute();
    const recipient = recipients.find((r) => r.id === recipientId);
    if (!recipient) throw new AppError("not_found", "Recipient not found in this envelope");
    if (recipient.status !== "pending") throw new AppError("conflict", `${recipient.email} has already acted`);
    if (recipient.action === "observe") throw new AppError("conflict", `${recipient.email} only follows the envelope and receives the signed copy at the end`);
    if (!recipient.invited_at && !eligibleNow(envelope, recipients).some((r) => r.id === recipientId)) {
      throw new AppError("conflict", `${recipient.email} is invited when their turn in the signing order comes`);
    }
    await issueInvitation(ctx, tx, envelope, recipient, { kind: "resend" });
    await recordEnvelopeEvent(ctx, tx, envelopeId, "recipient.invitation_resent", sourceOfActor(actor, meta.ip), { recipientId, email: recipient.email });
  });
  ctx.notifyJobs();
}
