import { randomBytes } from "node:crypto";
import { actorId, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { newId } from "../../../platform/ids.js";
import { presentWebhook } from "../presenters.js";
import { webhookCreate } from "../schemas.js";
import { webhookHostProblem } from "../url-guard.js";

/**
 * Registers a webhook. The secret is sealed at rest and never returned,
 * except once: when obrasign generated it, the creation answer carries it.
 */
export async function createWebhook(ctx: AppContext, actor: Actor, input: unknown) {
  const body = webhookCreate.parse(input);
  const problem = await webhookHostProblem(body.url, ctx.config.webhooksAllowPrivate);
  if (problem) throw new AppError("unprocessable", `url: ${problem}`, { url: problem });
  const generated = body.secret === undefined;
  const secret = body.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const now = ctx.clock.now().toISOString();
  const row = {
    id: newId(), url: body.url, events: JSON.stringify(body.events), secret_sealed: ctx.secrets.seal(secret),
    created_by: actorId(actor), created_at: now, updated_at: now,
  };
  await ctx.db.insertInto("webhooks").values(row).execute();
  ctx.log.info({ webhookId: row.id, by: actorId(actor), events: body.events }, "webhook created");
  return { ...presentWebhook(row), ...(generated ? { secret } : {}) };
}
