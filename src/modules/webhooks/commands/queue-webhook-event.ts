import type { AppContext } from "../../../platform/context.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { presentEnvelope, presentRecipient } from "../../envelopes/presenters.js";
import { maxDeliveryAttempts } from "../backoff.js";
import type { WebhookEvent } from "../events.js";
import "../jobs/deliver-webhook.js";
import { allRecipients, findEnvelopeRow } from "../../envelopes/queries.js";

/**
 * Writes one delivery (and its job) per webhook subscribed to `type`, in the
 * caller's transaction: the event is delivered exactly when the change that
 * raised it commits. The body is fixed now, so every try and a redelivery
 * send the same bytes, and the envelope it shows is the envelope as of the event.
 */
export async function queueWebhookEvent(ctx: AppContext, tx: Tx, type: WebhookEvent, envelopeId: string, recipientId?: string) {
  const webhooks = (await tx.selectFrom("webhooks").select(["id", "events"]).execute()).filter((w) => (JSON.parse(w.events) as string[]).includes(type));
  if (webhooks.length === 0) return;
  const envelope = await findEnvelopeRow(tx, envelopeId);
  if (!envelope) return;
  const recipients = await allRecipients(tx, envelopeId);
  const recipient = recipientId ? recipients.find((r) => r.id === recipientId) : undefined;
  const now = ctx.clock.now().toISOString();
  const eventId = newId();
  const body = JSON.stringify({
    id: eventId,
    type,
    createdAt: now,
    data: { envelope: presentEnvelope(envelope, recipients), ...(recipient ? { recipient: presentRecipient(recipient) } : {}) },
  });
  for (const webhook of webhooks) {
    const deliveryId = newId();
    await tx
      .insertInto("webhook_deliveries")
      .values({
        id: deliveryId, webhook_id: webhook.id, event_id: eventId, event_type: type, envelope_id: envelopeId, body, status: "pending", attempts: 0,
        last_status_code: null, last_error: null, job_id: null, next_attempt_at: now, last_attempt_at: null, delivered_at: null, created_at: now, updated_at: now,
      })
      .execute();
    const jobId = await enqueue(ctx, tx, "webhook.deliver", { deliveryId }, { maxAttempts: maxDeliveryAttempts });
    await tx.updateTable("webhook_deliveries").set({ job_id: jobId }).where("id", "=", deliveryId).execute();
  }
}
