/** Outbound webhooks and inbound provider calls. Importing this module defines its jobs. */
import "./jobs/deliver-webhook.js";
import "./jobs/refresh-envelope.js";

export { registerWebhookListeners } from "./listeners.js";
export { webhookRoutes } from "./routes.js";
export { totvsSignInboundRoutes } from "../providers/totvs-sign/inbound/routes.js";
export { enqueueEnvelopeRefresh } from "./jobs/refresh-envelope.js";
export { signatureHeader, verifySignature, signatureOf, parseSignatureHeader } from "./signature.js";
export { deliveryDelaysMs, deliveryBackoffMs, maxDeliveryAttempts } from "./backoff.js";
export { webhookEvents, type WebhookEvent } from "./events.js";
