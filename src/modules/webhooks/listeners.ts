import type { EnvelopeStatusListener } from "../envelopes/envelope-state.js";
import type { EnvelopeEventListener } from "../envelopes/events.js";
import { queueWebhookEvent } from "./commands/queue-webhook-event.js";
import { eventForStatusChange, recipientActEventTypes } from "./events.js";

/**
 * Webhooks follow envelope changes, inside the transaction of the change:
 * status changes become `envelope.<status>` events, recipient acts
 * `envelope.recipient_acted`.
 */
export const queueStatusWebhooks: EnvelopeStatusListener = async (ctx, tx, envelope, from, to) => {
  const event = eventForStatusChange(from, to);
  if (event) await queueWebhookEvent(ctx, tx, event, envelope.id);
};

export const queueRecipientActWebhooks: EnvelopeEventListener = async (ctx, tx, envelopeId, type, data) => {
  if (!recipientActEventTypes.has(type)) return;
  const recipientId = typeof data?.recipientId === "string" ? data.recipientId : undefined;
  await queueWebhookEvent(ctx, tx, "envelope.recipient_acted", envelopeId, recipientId);
};
