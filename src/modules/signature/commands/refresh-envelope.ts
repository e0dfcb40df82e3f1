import type { AppContext } from "../../../platform/context.js";
import type { RecipientsTable } from "../../../platform/db/schema.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import type { ProviderState } from "../../providers/port.js";
import { expireDueEnvelopes } from "../../signing/jobs.js";
import { authorOf } from "../authors.js";
import { recordEnvelopeEvent } from "../events.js";
import { canMove, lockEnvelope, moveEnvelope, openStatuses } from "../envelope-state.js";
import { atProvider } from "../provider-errors.js";
import { providerFor } from "../provider-resolver.js";
import { getEnvelope, getEnvelopeRow } from "../queries.js";

/**
 * Asks the provider where an envelope stands and records what changed:
 * each recipient's act, the envelope's status, and on completion the signed
 * file, downloaded into obrasign's store.
 */
export async function refreshEnvelope(ctx: AppContext, id: string) {
  const envelope = await getEnvelopeRow(ctx.db, id);
  if (envelope.provider === "embedded") {
    // The built-in provider's state is ours already; only the deadline can move it.
    await expireDueEnvelopes(ctx);
    await ctx.db.updateTable("envelopes").set({ last_checked_at: ctx.clock.now().toISOString() }).where("id", "=", id).execute();
    return getEnvelope(ctx, id);
  }
  if (!envelope.provider_ref || !openStatuses.includes(envelope.status)) return getEnvelope(ctx, id);
  const provider = await providerFor(ctx, envelope.provider);
  const author = await authorOf(ctx, envelope);
  const ref = envelope.provider_ref;
  const state = await atProvider(() => provider.status(ref, author));
  const signed = state.status === "completed" ? await atProvider(() => provider.download(ref, "signed", author)) : null;
  const stored = signed ? { name: signed.name, ...(await ctx.blobs.put(signed.bytes)) } : null;
  await applyProviderState(ctx, id, state, stored);
  return getEnvelope(ctx, id);
}

const recipientDone = (r: RecipientsTable) => r.status !== "pending";

export async function applyProviderState(ctx: AppContext, id: string, state: ProviderState, signed: { name: string; sha256: string; size: number } | null) {
  await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, id);
    const now = ctx.clock.now().toISOString();
    const source = { label: `${envelope.provider} (provider)` };
    const recipients = await tx.selectFrom("recipients").selectAll().where("envelope_id", "=", id).where("removed_at", "is", null).execute();
    for (const reported of state.recipients) {
      const recipient = recipients.find((r) => r.email.toLowerCase() === reported.email.toLowerCase());
      if (!recipient || recipientDone(recipient) || reported.status === "pending") continue;
      await tx
        .updateTable("recipients")
        .set({ status: reported.status, acted_at: (reported.actedAt ?? new Date(now)).toISOString(), rejection_reason: reported.rejectionReason })
        .where("id", "=", recipient.id)
        .execute();
      await recordEnvelopeEvent(ctx, tx, id, `recipient.${reported.status}`, source, { recipientId: recipient.id, email: recipient.email });
    }
    let target = state.status === "draft" ? "pending" : state.status;
    if (target === "completed" && !signed) target = "partially_signed";
    const set: Record<string, unknown> = { last_checked_at: now };
    if (target !== envelope.status && canMove(envelope.status, target)) {
      if (target === "completed" && signed) {
        await tx.deleteFrom("envelope_files").where("envelope_id", "=", id).where("kind", "=", "signed").execute();
        await tx.insertInto("envelope_files").values({ id: newId(), envelope_id: id, kind: "signed", position: 0, name: signed.name, sha256: signed.sha256, size: signed.size, page_count: null, created_at: now }).execute();
      }
      const ended = ["completed", "rejected", "cancelled", "expired"].includes(target);
      await moveEnvelope(ctx, tx, envelope, target, source, {
        set: { ...set, ...(ended ? { completed_at: now } : {}), ...(target === "rejected" ? { rejection_reason: state.rejectionReason } : {}) },
        data: target === "rejected" ? { reason: state.rejectionReason } : undefined,
      });
    } else {
      await tx.updateTable("envelopes").set(set).where("id", "=", id).execute();
    }
  });
  ctx.notifyJobs();
}
