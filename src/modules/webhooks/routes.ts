import { z } from "zod";
import type { RouteModule } from "../../platform/http/server.js";
import { idField } from "../../platform/validation/fields.js";
import { createWebhook } from "./commands/create-webhook.js";
import { deleteWebhook } from "./commands/delete-webhook.js";
import { redeliverWebhook } from "./commands/redeliver.js";
import { listDeliveries, listWebhooks } from "./queries.js";
import { deliveryListQuery, deliveryResponse, webhookCreate, webhookResponse, type DeliveryListQuery } from "./schemas.js";

const tags = ["webhooks"];
const idParams = z.strictObject({ id: idField });
const deliveryParams = z.strictObject({ id: idField, deliveryId: idField });

/** `/api/webhooks*`: outbound webhooks, their delivery log and manual redelivery (admin writes). */
export const webhookRoutes: RouteModule = (app) => {
  app.get(
    "/api/webhooks",
    { config: { permission: "settings:read" }, schema: { tags, summary: "Outbound webhooks (secrets are never returned)", response: { 200: z.object({ items: z.array(webhookResponse) }) } } },
    async () => listWebhooks(app.ctx),
  );

  app.post(
    "/api/webhooks",
    {
      config: { permission: "settings:write" },
      schema: {
        tags,
        summary: "Register a webhook; without `secret` one is generated and returned once, in this answer",
        body: webhookCreate,
        response: { 201: webhookResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(app.ctx, request.actor!, request.body)),
  );

  app.delete(
    "/api/webhooks/:id",
    { config: { permission: "settings:write" }, schema: { tags, summary: "Remove a webhook and its delivery log", params: idParams } },
    async (request, reply) => {
      await deleteWebhook(app.ctx, request.actor!, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/webhooks/:id/deliveries",
    {
      config: { permission: "settings:read" },
      schema: { tags, summary: "The delivery log, newest first", params: idParams, querystring: deliveryListQuery, response: { 200: z.object({ items: z.array(deliveryResponse), nextCursor: z.string().nullable() }) } },
    },
    async (request) => listDeliveries(app.ctx, request.params.id, request.query),
  );

  app.post(
    "/api/webhooks/:id/deliveries/:deliveryId/redeliver",
    { config: { permission: "settings:write" }, schema: { tags, summary: "Send a delivery again now (same body and delivery id)", params: deliveryParams, response: { 202: deliveryResponse } } },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      return reply.status(202).send(await redeliverWebhook(app.ctx, id, deliveryId));
    },
  );
};
