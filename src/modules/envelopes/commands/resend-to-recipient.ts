import type { Actor, AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { enforce, throttleRules } from "../../../platform/throttle/index.js";
import { recordEnvelopeEvent, sourceOfActor } from "../events.js";
import { eligibleNow } from "../eligibility.js";
import { openStatuses } from "../envelope-state.js";
import { atProvider } from "../provider-errors.js";
import { providerEnvelopeOf, providerOf } from "../providers.js";
import { activeRecipients, getEnvelopeRow } from "../queries.js";

/**
 * Notifies a pending recipient again, through the envelope's provider (the
 * built-in one mails a new link; TOTVS Sign has its own call). Only a
 * recipient whose turn has come can be notified. Resends to one recipient
 * are limited (platform/throttle, shared by every node): a click repeated
 * on the page, the API or the monitor's bulk action does not flood a
 * person's mailbox or the provider.
 */
export async function resendToRecipient(ctx: AppContext, actor: Actor, envelopeId: string, recipientId: string, meta: { ip?: string | null } = {}) {
  const envelope = await getEnvelopeRow(ctx.db, envelopeId);
  if (!openStatuses.includes(envelope.status)) throw new AppError("invalid_transition", `The envelope is ${envelope.status}: there is nobody to invite`);
  const recipients = await activeRecipients(ctx.db, envelopeId);
  const recipient = recipients.find((r) => r.id === recipientId);
  if (!recipient) throw new AppError("not_found", "Recipient not found in this envelope");
  if (recipient.status !== "pending") throw new AppError("conflict", `${recipient.email} has already acted`);
  if (recipient.action === "observe") throw new AppError("conflict", `${recipient.email} only follows the envelope and receives the signed copy at the end`);
  if (!recipient.invited_at && !eligibleNow(envelope, recipients).some((r) => r.id === recipientId)) {
    throw new AppError("conflict", `${recipient.email} is invited when their turn in the signing order comes`);
  }
  await enforce(ctx, throttleRules(ctx.config).resendRecipient, recipientId, "tooManyResends");
  const { provider, author } = await providerOf(ctx, envelope);
  await atProvider(() => provider.resend(providerEnvelopeOf(envelope), { id: recipient.id, email: recipient.email }, author));
  await inTransaction(ctx, (tx) => recordEnvelopeEvent(ctx, tx, envelopeId, "recipient.invitation_resent", sourceOfActor(actor, meta.ip), { recipientId, email: recipient.email }));
}
