import type { EnvelopeStatusListener } from "../../envelopes/envelope-state.js";
import { activeRecipients } from "../../envelopes/queries.js";
import { queueMail } from "../../../platform/mail/outbox.js";
import { brandOf, cancelledMail } from "./mails.js";

/**
 * A cancelled built-in envelope: everyone who got a signing link is told, in
 * the envelope's language and with the reason given, that the link is dead
 * (TOTVS Sign tells its own recipients). Written in the cancel's transaction,
 * through the mail outbox. Expiry is mailed by `expireIfDue`.
 */
export const mailCancelledRecipients: EnvelopeStatusListener = async (ctx, tx, envelope, _from, to, change) => {
  if (to !== "cancelled" || envelope.provider !== "embedded") return;
  const reason = typeof change.data.reason === "string" ? change.data.reason : null;
  const recipients = (await activeRecipients(tx, envelope.id)).filter((r) => r.invited_at);
  if (recipients.length === 0) return;
  const brand = await brandOf(ctx, tx);
  for (const recipient of recipients) {
    await queueMail(ctx, tx, { ...cancelledMail(brand, envelope, recipient, reason), envelopeId: envelope.id });
  }
};
