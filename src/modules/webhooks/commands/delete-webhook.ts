import { actorId, type Actor, type AppContext } from "../../../platform/context.js";
import { getWebhookRow } from "../queries.js";

/** Removes a webhook and its delivery log (cascade); its queued deliveries find nothing to send and end quietly. */
export async function deleteWebhook(ctx: AppContext, actor: Actor, id: string) {
  await getWebhookRow(ctx.db, id);
  await ctx.db.deleteFrom("webhooks").where("id", "=", id).execute();
  ctx.log.info({ webhookId: id, by: actorId(actor) }, "webhook deleted");
}
