import { z } from "zod";
import { defineJob, PermanentJobError } from "../../../platform/jobs/registry.js";
import { deliveryBackoffMs, maxDeliveryAttempts } from "../backoff.js";
import { postJson } from "../http-sender.js";
import { signatureHeader } from "../signature.js";
import { RefusedAddressError } from "../url-guard.js";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    "webhook.deliver": { deliveryId: string };
  }
}

const describeError = (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  return (e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error)).slice(0, 500);
};

/**
 * One try of one delivery. The outcome of every try is written to the
 * delivery log; a failure throws so the job system retries it after
 * `deliveryBackoffMs(attempt)` (the same schedule the log shows as
 * `nextAttemptAt`), up to `maxDeliveryAttempts` tries.
 */
export const deliverWebhookJob = defineJob({
  name: "webhook.deliver",
  schema: z.object({ deliveryId: z.string() }),
  retry: { maxAttempts: maxDeliveryAttempts, backoffMs: deliveryBackoffMs },
  async handler(ctx, { deliveryId }, job) {
    const delivery = await ctx.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", deliveryId).executeTakeFirst();
    if (!delivery || delivery.status === "delivered") return;
    const webhook = await ctx.db.selectFrom("webhooks").selectAll().where("id", "=", delivery.webhook_id).executeTakeFirst();
    if (!webhook) return;
    const sentAt = ctx.clock.now();
    const headers = {
      "X-Obrasign-Signature": signatureHeader(ctx.secrets.open(webhook.secret_sealed), delivery.body, sentAt),
      "X-Obrasign-Event": delivery.event_type,
      "X-Obrasign-Delivery": delivery.id,
    };
    let statusCode: number | null = null;
    let failure: string | null = null;
    let permanent = false;
    try {
      const response = await postJson(webhook.url, delivery.body, headers, { allowPrivate: ctx.config.webhooksAllowPrivate });
      statusCode = response.status;
      if (statusCode < 200 || statusCode >= 300) failure = `HTTP ${statusCode}${response.body ? `: ${response.body.replace(/\s+/g, " ").slice(0, 200)}` : ""}`;
    } catch (error) {
      failure = describeError(error);
      permanent = error instanceof RefusedAddressError;
    }
    const now = ctx.clock.now();
    const retries = failure !== null && !permanent && job.attempts < job.max_attempts;
    await ctx.db
      .updateTable("webhook_deliveries")
      .set({
        status: failure === null ? "delivered" : retries ? "pending" : "failed",
        attempts: delivery.attempts + 1,
        last_status_code: statusCode,
        last_error: failure,
        last_attempt_at: sentAt.toISOString(),
        delivered_at: failure === null ? now.toISOString() : null,
        next_attempt_at: retries ? new Date(now.getTime() + deliveryBackoffMs(job.attempts)).toISOString() : null,
        updated_at: now.toISOString(),
      })
      .where("id", "=", deliveryId)
      .execute();
    if (failure !== null) throw permanent ? new PermanentJobError(failure) : new Error(failure);
  },
});
