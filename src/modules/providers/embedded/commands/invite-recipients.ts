import type { AppContext } from "../../../../platform/context.js";
import type { Envelope, RecipientsTable } from "../../../../platform/db/schema.js";
import { generateSecret, hashSecret } from "../../../../platform/crypto/tokens.js";
import { inTransaction, type Tx } from "../../../../platform/db/transaction.js";
import { queueMail } from "../../../../platform/mail/outbox.js";
import { recordEnvelopeEvent } from "../../../envelopes/events.js";
import { lockEnvelope } from "../../../envelopes/envelope-state.js";
import { eligibleNow } from "../../../envelopes/eligibility.js";
import { brandOf, invitationMail } from "../mails.js";
import { setRecipientLink } from "../../../envelopes/recipients.js";
import { activeRecipients } from "../../../envelopes/queries.js";

const liveStatuses = ["queued", "pending", "partially_signed"];

/**
 * Mails a recipient a fresh signing link: a new random token (256 bits)
 * whose hash replaces the old one, so an earlier link stops working. Used
 * for the first invitation, a resend by a user, and reminders.
 */
export async function issueInvitation(ctx: AppContext, tx: Tx, envelope: Envelope, recipient: RecipientsTable, options: { kind: "invitation" | "resend" | "reminder" }) {
  const token = generateSecret("sig");
  const now = ctx.clock.now().toISOString();
  await setRecipientLink(tx, recipient.id, hashSecret(token), now, options.kind === "reminder" ? "reminder" : "invitation");
  await queueMail(ctx, tx, { ...invitationMail(await brandOf(ctx, tx), envelope, recipient, `${ctx.config.publicUrl}/sign/${token}`, options.kind === "reminder"), envelopeId: envelope.id, secrets: [token] });
}

/**
 * Mails a signing link to every recipient who may act now and has not been
 * invited yet. Idempotent: a second call (a retried job) invites nobody twice.
 * The link token is random (256 bits); only its hash is stored.
 */
export async function inviteEligibleRecipients(ctx: AppContext, envelopeId: string, tx?: Tx): Promise<number> {
  const work = async (t: Tx) => {
    const envelope = await lockEnvelope(ctx, t, envelopeId);
    if (!liveStatuses.includes(envelope.status)) return 0;
    const recipients = await activeRecipients(t, envelopeId);
    let invited = 0;
    for (const recipient of eligibleNow(envelope, recipients).filter((r) => !r.invited_at)) {
      await issueInvitation(ctx, t, envelope, recipient, { kind: "invitation" });
      await recordEnvelopeEvent(ctx, t, envelopeId, "recipient.invited", { label: "obrasign" }, { recipientId: recipient.id, email: recipient.email });
      invited++;
    }
    return invited;
  };
  const count = tx ? await work(tx) : await inTransaction(ctx, work);
  if (count > 0) ctx.notifyJobs();
  return count;
}
