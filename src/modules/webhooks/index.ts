/** Outbound webhooks: what a receiver needs to check a delivery, and the events. */
export { webhooksModule } from "./manifest.js";
export { signatureHeader, verifySignature, signatureOf, parseSignatureHeader } from "./signature.js";
export { deliveryDelaysMs, deliveryBackoffMs, maxDeliveryAttempts } from "./backoff.js";
export { webhookEvents, type WebhookEvent } from "./events.js";
