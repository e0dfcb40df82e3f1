import type { Actor, AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { sourceOfActor } from "../events.js";
import { lockEnvelope, moveEnvelope } from "../envelope-state.js";
import { getEnvelope } from "../queries.js";

/** A failed envelope goes back to the queue; a provider reference it got earlier is reused, not duplicated. */
export async function retryEnvelope(ctx: AppContext, actor: Actor, id: string, meta: { ip?: string | null } = {}) {
  await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, id);
    await moveEnvelope(ctx, tx, envelope, "queued", sourceOfActor(actor, meta.ip), { set: { failure_reason: null, failure_code: null, failure_values: null }, event: "envelope.retried" });
    await enqueue(ctx, tx, "envelope.send", { envelopeId: id }, { dedupeKey: `send:${id}:${envelope.version + 1}` });
  });
  ctx.notifyJobs();
  return getEnvelope(ctx, id);
}
