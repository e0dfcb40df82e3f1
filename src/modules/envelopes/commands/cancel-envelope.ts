import type { Actor, AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { recordEnvelopeEvent, sourceOfActor } from "../events.js";
import { canMove, lockEnvelope, moveEnvelope } from "../envelope-state.js";
import { atProvider } from "../provider-errors.js";
import { providerOf } from "../providers.js";
import { getEnvelope, getEnvelopeRow } from "../queries.js";
import { refreshEnvelope } from "./refresh-envelope.js";

/**
 * Withdraws an envelope: deleted at the provider first (when it was sent),
 * then marked cancelled; signing links answer 410 from then on.
 */
export async function cancelEnvelope(ctx: AppContext, actor: Actor, id: string, meta: { ip?: string | null; reason?: string | null } = {}) {
  const envelope = await getEnvelopeRow(ctx.db, id);
  if (!canMove(envelope.status, "cancelled")) throw new AppError("invalid_transition", `The envelope is ${envelope.status}: it can no longer be cancelled`);
  let withdrawal: "cancelled" | "deleted" | void = undefined;
  if (envelope.provider_ref && envelope.status !== "failed") {
    const { provider, author } = await providerOf(ctx, envelope);
    const ref = envelope.provider_ref;
    // Only a pre-check: if the status cannot be read, the cancel call itself still decides (and reports TAE's error).
    const state = await provider.status(ref, author).catch(() => null);
    if (state?.status === "completed" || state?.status === "rejected") {
      // It ended at the provider before the cancel came: record that rather than ask for the impossible.
      const current = await refreshEnvelope(ctx, id);
      throw new AppError("invalid_transition", `The envelope is ${current.status} at ${envelope.provider}: it can no longer be cancelled`);
    }
    // Already withdrawn at the provider (by someone in its portal, say): nothing to call.
    if (state?.status !== "cancelled") withdrawal = await atProvider(() => provider.cancel(ref, author));
  }
  await inTransaction(ctx, async (tx) => {
    const locked = await lockEnvelope(ctx, tx, id);
    // The reason (a bulk cancel asks for one) stays in the history entry.
    const reason = meta.reason?.trim() ? meta.reason.trim().slice(0, 1000) : null;
    const source = sourceOfActor(actor, meta.ip);
    if (withdrawal === "deleted") {
      // The provider refused to cancel and the document was deleted there instead: the history says so.
      await recordEnvelopeEvent(ctx, tx, id, "envelope.deleted_at_provider", source, { providerRef: envelope.provider_ref, provider: envelope.provider });
    }
    await moveEnvelope(ctx, tx, locked, "cancelled", source, { set: { completed_at: ctx.clock.now().toISOString() }, ...(reason ? { data: { reason } } : {}) });
  });
  ctx.notifyJobs();
  return getEnvelope(ctx, id);
}
