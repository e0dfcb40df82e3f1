import type { AppContext } from "../../../platform/context.js";
import type { EnvelopesTable, EnvelopeStatus, RecipientsTable } from "../../../platform/db/schema.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import type { ProviderAuthor, ProviderName, ProviderState, SignatureProvider } from "../../../platform/providers/port.js";
import { recordEnvelopeEvent } from "../events.js";
import { canMove, lockEnvelope, moveEnvelope, refreshableStatuses } from "../envelope-state.js";
import { ProviderError } from "../../../platform/providers/port.js";
import { atProvider, providerFailure } from "../provider-errors.js";
import { providerEnvelopeOf } from "../providers.js";
import { getEnvelope, getEnvelopeRow, replaceSignedFiles } from "../queries.js";

/**
 * Asks the provider where an envelope stands and records what changed:
 * each recipient's act, the envelope's status, and on completion the signed
 * file, downloaded into obrasign's store.
 */
export async function refreshEnvelope(ctx: AppContext, id: string) {
  await syncEnvelope(ctx, id);
  return getEnvelope(ctx, id);
}

/** Where an envelope stands after a refresh, and whether the refresh moved it (its status or a recipient's act). */
export interface SyncOutcome {
  status: EnvelopeStatus;
  changed: boolean;
}

/** How a refresh finds an envelope's provider adapter and provider author; the refresh process reuses them across envelopes. */
export interface ProviderLookup {
  provider(ctx: AppContext, name: ProviderName): Promise<SignatureProvider>;
  author(ctx: AppContext, envelope: Pick<EnvelopesTable, "id" | "provider_ref" | "author_id" | "author_label" | "provider">): Promise<ProviderAuthor>;
}

const lookupEachTime: ProviderLookup = {
  provider: (ctx, name) => ctx.providers.get(name),
  author: async (ctx, envelope) => (await ctx.providers.get(envelope.provider)).authorOf(providerEnvelopeOf(envelope)),
};

/** `refreshEnvelope` without presenting the envelope afterwards: what the refresh process runs per envelope. */
export async function syncEnvelope(ctx: AppContext, id: string, lookup: ProviderLookup = lookupEachTime): Promise<SyncOutcome> {
  const envelope = await getEnvelopeRow(ctx.db, id);
  if (!envelope.provider_ref || !refreshableStatuses.includes(envelope.status)) return { status: envelope.status, changed: false };
  const provider = await lookup.provider(ctx, envelope.provider);
  const author = await lookup.author(ctx, envelope);
  const ref = envelope.provider_ref;
  let state: ProviderState;
  try {
    state = await provider.status(ref, author);
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) await recordCheckFailure(ctx, id, error);
    throw providerFailure(error);
  }
  const signed = state.status === "completed" ? await atProvider(() => provider.download(ref, "signed", author)) : null;
  const stored = signed ? { name: signed.name, ...(await ctx.blobs.put(signed.bytes)) } : null;
  const outcome = await applyProviderState(ctx, id, state, stored);
  // A provider may move the envelope itself while answering (the built-in one expires it when due).
  return { ...outcome, changed: outcome.changed || outcome.status !== envelope.status };
}

const recipientDone = (r: RecipientsTable) => r.status !== "pending";

/**
 * A refresh that cannot succeed by asking again (an answer the adapter
 * cannot read, say): kept on the envelope and in its history once, so it is
 * shown rather than retried at every scheduled run (see refreshCandidates).
 */
async function recordCheckFailure(ctx: AppContext, id: string, error: ProviderError) {
  await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, id);
    const message = error.message.slice(0, 1000);
    const now = ctx.clock.now().toISOString();
    const values = error.code && Object.keys(error.values).length ? JSON.stringify(error.values) : null;
    await tx.updateTable("envelopes").set({ check_failure: message, check_failure_code: error.code ?? null, check_failure_values: values, last_checked_at: now }).where("id", "=", id).execute();
    if (envelope.check_failure !== message) {
      await recordEnvelopeEvent(ctx, tx, id, "envelope.check_failed", { label: `${envelope.provider} (provider)` }, { reason: message, code: error.code ?? null });
    }
  });
}

export async function applyProviderState(ctx: AppContext, id: string, state: ProviderState, signed: { name: string; sha256: string; size: number } | null): Promise<SyncOutcome> {
  const outcome = await inTransaction(ctx, async (tx): Promise<SyncOutcome> => {
    const envelope = await lockEnvelope(ctx, tx, id);
    const now = ctx.clock.now().toISOString();
    const source = { label: `${envelope.provider} (provider)` };
    const recipients = await tx.selectFrom("recipients").selectAll().where("envelope_id", "=", id).where("removed_at", "is", null).execute();
    let acted = 0;
    for (const reported of state.recipients) {
      const recipient = recipients.find((r) => r.email.toLowerCase() === reported.email.toLowerCase());
      if (!recipient || recipientDone(recipient) || reported.status === "pending") continue;
      await tx
        .updateTable("recipients")
        .set({ status: reported.status, acted_at: (reported.actedAt ?? new Date(now)).toISOString(), rejection_reason: reported.rejectionReason })
        .where("id", "=", recipient.id)
        .execute();
      await recordEnvelopeEvent(ctx, tx, id, `recipient.${reported.status}`, source, { recipientId: recipient.id, email: recipient.email });
      if (recipient.action !== "observe") acted++;
    }
    let target = state.status === "draft" ? "pending" : state.status;
    if (target === "completed" && !signed) target = "partially_signed";
    const set: Record<string, unknown> = { last_checked_at: now, check_failure: null, check_failure_code: null, check_failure_values: null };
    if (envelope.status === "rejected" && (target === "pending" || target === "partially_signed")) {
      // Re-opened at the provider (TOTVS Sign's portal can): the refusal no longer stands.
      for (const recipient of recipients.filter((r) => r.status === "rejected")) {
        const reported = state.recipients.find((r) => r.email.toLowerCase() === recipient.email.toLowerCase());
        if (reported?.status === "rejected") continue;
        await tx.updateTable("recipients").set({ status: "pending", acted_at: null, rejection_reason: null }).where("id", "=", recipient.id).execute();
        await recordEnvelopeEvent(ctx, tx, id, "recipient.reopened", source, { recipientId: recipient.id, email: recipient.email });
      }
      await moveEnvelope(ctx, tx, envelope, target, source, {
        set: { ...set, completed_at: null, rejection_reason: null }, event: "envelope.reopened", data: { previousReason: envelope.rejection_reason },
      });
      return { status: target as EnvelopeStatus, changed: true };
    }
    if (target !== envelope.status && canMove(envelope.status, target)) {
      if (target === "completed" && signed) {
        await replaceSignedFiles(tx, id, [{ ...signed, position: 0 }], now);
      }
      const ended = ["completed", "rejected", "cancelled", "expired"].includes(target);
      await moveEnvelope(ctx, tx, envelope, target, source, {
        set: { ...set, ...(ended ? { completed_at: now } : {}), ...(target === "rejected" ? { rejection_reason: state.rejectionReason } : {}) },
        data: target === "rejected" ? { reason: state.rejectionReason } : undefined,
      });
      return { status: target as EnvelopeStatus, changed: true };
    }
    await tx.updateTable("envelopes").set(set).where("id", "=", id).execute();
    return { status: envelope.status, changed: acted > 0 };
  });
  ctx.notifyJobs();
  return outcome;
}
