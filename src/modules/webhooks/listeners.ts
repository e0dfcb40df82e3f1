import { onEnvelopeStatus } from "../envelopes/envelope-state.js";
import { onEnvelopeEvent } from "../envelopes/events.js";
import { queueWebhookEvent } from "./commands/queue-webhook-event.js";
import { eventForStatusChange, recipientActEventTypes } from "./events.js";

let registered = false;

/**
 * Subscribes webhooks to envelope changes: status changes become
 * `envelope.<status>` events, recipient acts `envelope.recipient_acted`.
 * Both run inside the transaction of the change. Safe to call twice.
 */
export function registerWebhookListeners(): void {
  if (registered) return;
  registered = true;
  onEnvelopeStatus(async (ctx, tx, envelope, from, to) => {
    const event = eventForStatusChange(from, to);
    if (event) await queueWebhookEvent(ctx, tx, event, envelope.id);
  });
  onEnvelopeEvent(async (ctx, tx, envelopeId, type, data) => {
    if (!recipientActEventTypes.has(type)) return;
    const recipientId = typeof data?.recipientId === "string" ? data.recipientId : undefined;
    await queueWebhookEvent(ctx, tx, "envelope.recipient_acted", envelopeId, recipientId);
  });
}
