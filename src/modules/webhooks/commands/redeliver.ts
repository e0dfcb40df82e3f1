import type { AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { enqueue, jobStatus, runQueuedJobNow } from "../../../platform/jobs/queue.js";
import { presentDelivery } from "../presenters.js";
import { getDeliveryRow } from "../queries.js";
import "../jobs/deliver-webhook.js";

/**
 * Sends a delivery again now, with the same body and delivery id (receivers
 * dedupe on it). A delivery still waiting for a retry is simply brought
 * forward; otherwise one new try is queued.
 */
export async function redeliverWebhook(ctx: AppContext, webhookId: string, deliveryId: string) {
  const now = ctx.clock.now().toISOString();
  const delivery = await inTransaction(ctx, async (tx) => {
    const current = await getDeliveryRow(tx, webhookId, deliveryId);
    const job = current.job_id ? await jobStatus(tx, current.job_id) : undefined;
    if (job?.status === "running") throw new AppError("conflict", "This delivery is being sent right now");
    if (job?.status === "queued") {
      await runQueuedJobNow(tx, job.id, now);
    } else {
      const jobId = await enqueue(ctx, tx, "webhook.deliver", { deliveryId }, { maxAttempts: 1 });
      await tx.updateTable("webhook_deliveries").set({ job_id: jobId }).where("id", "=", deliveryId).execute();
    }
    await tx.updateTable("webhook_deliveries").set({ status: "pending", next_attempt_at: now, updated_at: now }).where("id", "=", deliveryId).execute();
    return getDeliveryRow(tx, webhookId, deliveryId);
  });
  ctx.notifyJobs();
  return presentDelivery(delivery);
}
