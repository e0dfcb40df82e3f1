import type { Actor, AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { authorOf } from "../authors.js";
import { sourceOfActor } from "../events.js";
import { canMove, lockEnvelope, moveEnvelope } from "../envelope-state.js";
import { providerFor } from "../provider-resolver.js";
import { getEnvelope, getEnvelopeRow } from "../queries.js";

/**
 * Withdraws an envelope: deleted at the provider first (when it was sent),
 * then marked cancelled; signing links answer 410 from then on.
 */
export async function cancelEnvelope(ctx: AppContext, actor: Actor, id: string, meta: { ip?: string | null } = {}) {
  const envelope = await getEnvelopeRow(ctx.db, id);
  if (!canMove(envelope.status, "cancelled")) throw new AppError("invalid_transition", `The envelope is ${envelope.status}: it can no longer be cancelled`);
  if (envelope.provider_ref && envelope.status !== "failed") {
    const provider = await providerFor(ctx, envelope.provider);
    const state = await provider.status(envelope.provider_ref, await authorOf(ctx, envelope)).catch(() => null);
    // Already withdrawn at the provider (by someone in its portal, say): nothing to call.
    if (state?.status !== "cancelled") await provider.cancel(envelope.provider_ref, await authorOf(ctx, envelope));
  }
  await inTransaction(ctx, async (tx) => {
    const locked = await lockEnvelope(ctx, tx, id);
    await moveEnvelope(ctx, tx, locked, "cancelled", sourceOfActor(actor, meta.ip), { set: { completed_at: ctx.clock.now().toISOString() } });
  });
  ctx.notifyJobs();
  return getEnvelope(ctx, id);
}
