import type { WebhookDeliveriesTable, WebhooksTable } from "../../platform/db/schema.js";

/** Allow-list: the sealed secret never leaves the module. */
export const presentWebhook = (w: WebhooksTable) => ({
  id: w.id,
  url: w.url,
  events: JSON.parse(w.events) as string[],
  createdAt: w.created_at,
  updatedAt: w.updated_at,
});

export const presentDelivery = (d: WebhookDeliveriesTable) => ({
  id: d.id,
  webhookId: d.webhook_id,
  eventId: d.event_id,
  event: d.event_type,
  envelopeId: d.envelope_id,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.last_status_code,
  lastError: d.last_error,
  nextAttemptAt: d.next_attempt_at,
  lastAttemptAt: d.last_attempt_at,
  deliveredAt: d.delivered_at,
  createdAt: d.created_at,
});
