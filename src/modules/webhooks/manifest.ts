import type { ModuleManifest } from "../../platform/modules.js";
import { deliverWebhookJob } from "./jobs/deliver-webhook.js";
import { queueRecipientActWebhooks, queueStatusWebhooks } from "./listeners.js";
import { webhookPages } from "./pages.js";
import { webhookRoutes } from "./routes.js";

/** Outbound webhooks: subscriptions, signed deliveries with retries, the delivery log. */
export const webhooksModule: ModuleManifest = {
  name: "webhooks",
  tables: ["webhooks", "webhook_deliveries"],
  routes: [webhookRoutes, webhookPages],
  jobs: [deliverWebhookJob],
  hooks: { envelopeStatusListeners: [queueStatusWebhooks], envelopeEventListeners: [queueRecipientActWebhooks] },
};
