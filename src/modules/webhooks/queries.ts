import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { notFound } from "../../platform/errors.js";
import { presentDelivery, presentWebhook } from "./presenters.js";
import type { DeliveryListQuery } from "./schemas.js";

export async function getWebhookRow(db: Db | Tx, id: string) {
  const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Webhook");
  return row;
}

export async function listWebhooks(ctx: AppContext) {
  const rows = await ctx.db.selectFrom("webhooks").selectAll().orderBy("id").execute();
  return { items: rows.map(presentWebhook) };
}

export async function getDeliveryRow(db: Db | Tx, webhookId: string, deliveryId: string) {
  const row = await db.selectFrom("webhook_deliveries").selectAll().where("id", "=", deliveryId).where("webhook_id", "=", webhookId).executeTakeFirst();
  if (!row) throw notFound("Delivery");
  return row;
}

/** The delivery log of one webhook, newest first, keyset-paginated on the UUIDv7 id. */
export async function listDeliveries(ctx: AppContext, webhookId: string, query: DeliveryListQuery) {
  await getWebhookRow(ctx.db, webhookId);
  let qb = ctx.db.selectFrom("webhook_deliveries").selectAll().where("webhook_id", "=", webhookId);
  if (query.status) qb = qb.where("status", "=", query.status);
  if (query.cursor) qb = qb.where("id", "<", query.cursor);
  const rows = await qb.orderBy("id", "desc").limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return { items: page.map(presentDelivery), nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}
