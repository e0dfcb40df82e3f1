import type { Actor, AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { recordEnvelopeEvent, sourceOfActor } from "../events.js";
import { finalStatuses, lockEnvelope } from "../envelope-state.js";
import { atProvider } from "../provider-errors.js";
import { providerEnvelopeOf, providerOf } from "../providers.js";
import { activeRecipients, getEnvelope, getEnvelopeRow } from "../queries.js";
import { recipientInput, unsupportedChannel } from "../schemas.js";
import { refreshSearchText } from "../search-terms.js";

const assertOpen = (status: string) => {
  if ((finalStatuses as readonly string[]).includes(status)) throw new AppError("invalid_transition", `The envelope is ${status}: its recipients can no longer change`);
};

/** Adds a recipient to an envelope, at the provider too when it was already sent. */
export async function addRecipient(ctx: AppContext, actor: Actor, envelopeId: string, input: unknown, meta: { ip?: string | null } = {}) {
  const data = recipientInput.parse(input);
  const envelope = await getEnvelopeRow(ctx.db, envelopeId);
  assertOpen(envelope.status);
  const channel = unsupportedChannel([data], (await ctx.providers.get(envelope.provider)).channels, "");
  if (channel) throw new AppError("validation", `${channel.field}: ${channel.message}`, { [channel.field]: channel.message });
  const recipients = await activeRecipients(ctx.db, envelopeId);
  if (recipients.some((r) => r.email === data.email)) throw new AppError("conflict", `${data.email} is already a recipient of this envelope`, { email: "already a recipient" });
  const sameCpf = data.cpf && data.cpf.length === 11 ? recipients.find((r) => r.cpf === data.cpf) : undefined;
  if (sameCpf) throw new AppError("unprocessable", `cpf: is the CPF of ${sameCpf.name}, already a recipient: one CPF per person in an envelope`, { cpf: `is the CPF of ${sameCpf.name}, already a recipient` });
  const id = newId();
  const position = recipients.length ? Math.max(...recipients.map((r) => r.position)) + 1 : 0;
  const order = envelope.signing_order ? (data.order ?? Math.max(0, ...recipients.map((r) => r.sign_order ?? 0)) + 1) : null;
  await inTransaction(ctx, async (tx) => {
    await lockEnvelope(ctx, tx, envelopeId);
    await tx.insertInto("recipients").values({
      id, envelope_id: envelopeId, position, name: data.name, email: data.email, cpf: data.cpf ?? null, action: data.action, sign_order: order,
      auth: data.auth, phone: data.phone ?? null, notify_channel: data.notifyBy, status: "pending", acted_at: null, rejection_reason: null, token_hash: null, invited_at: null, reminded_at: null,
      signature_type: null, signature_value: null, evidence: null, removed_at: null, opened_at: null,
    }).execute();
    await refreshSearchText(tx, envelopeId);
    await recordEnvelopeEvent(ctx, tx, envelopeId, "recipient.added", sourceOfActor(actor, meta.ip), { recipientId: id, email: data.email, action: data.action });
  });
  if (envelope.provider_ref && envelope.status !== "queued" && envelope.status !== "failed") {
    try {
      const { provider, author } = await providerOf(ctx, envelope);
      const ref = envelope.provider_ref;
      await atProvider(() => provider.addRecipient(ref, { name: data.name, email: data.email, action: data.action, order, cpf: data.cpf ?? null, auth: data.auth, notifyBy: data.notifyBy, phone: data.phone ?? null }, author));
    } catch (error) {
      // The provider refused: take the row back so obrasign and the provider agree.
      await ctx.db.deleteFrom("recipients").where("id", "=", id).execute();
      throw error;
    }
  }
  return getEnvelope(ctx, envelopeId);
}

/** Removes a recipient who has not acted; the envelope must keep someone who signs. */
export async function removeRecipient(ctx: AppContext, actor: Actor, envelopeId: string, recipientId: string, meta: { ip?: string | null } = {}) {
  const envelope = await getEnvelopeRow(ctx.db, envelopeId);
  assertOpen(envelope.status);
  const recipients = await activeRecipients(ctx.db, envelopeId);
  const recipient = recipients.find((r) => r.id === recipientId);
  if (!recipient) throw new AppError("not_found", "Recipient not found in this envelope");
  if (recipient.status !== "pending") throw new AppError("conflict", `${recipient.email} has already acted and cannot be removed`);
  const remaining = recipients.filter((r) => r.id !== recipientId);
  if (!remaining.some((r) => r.action === "sign" || r.action === "sign_certificate")) {
    throw new AppError("conflict", "This is the last recipient who signs: add another signer first");
  }
  if (envelope.provider_ref && envelope.status !== "queued" && envelope.status !== "failed") {
    const { provider, author } = await providerOf(ctx, envelope);
    const ref = envelope.provider_ref;
    await atProvider(() => provider.removeRecipient(ref, recipient.email, author));
  }
  await inTransaction(ctx, async (tx) => {
    await lockEnvelope(ctx, tx, envelopeId);
    await tx.updateTable("recipients").set({ removed_at: ctx.clock.now().toISOString(), token_hash: null }).where("id", "=", recipientId).execute();
    await refreshSearchText(tx, envelopeId);
    await recordEnvelopeEvent(ctx, tx, envelopeId, "recipient.removed", sourceOfActor(actor, meta.ip), { recipientId, email: recipient.email });
  });
  // Removing the one everybody waited for may let the next group act, or finish the envelope.
  await (await ctx.providers.get(envelope.provider)).afterRecipientsChanged(providerEnvelopeOf(envelope));
  return getEnvelope(ctx, envelopeId);
}
