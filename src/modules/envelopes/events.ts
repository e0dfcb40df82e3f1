import { actorId, type Actor, type AppContext } from "../../platform/context.js";
import type { Tx } from "../../platform/db/transaction.js";
import { hooksOf } from "../../platform/hooks.js";
import { newId } from "../../platform/ids.js";

/** Who did something to an envelope, as its history shows: a user, a recipient by link, the system or a provider. */
export interface EventSource {
  actor?: Actor;
  label?: string;
  ip?: string | null;
  userAgent?: string | null;
}

export const sourceOfActor = (actor: Actor, ip?: string | null, userAgent?: string | null): EventSource => ({ actor, ip, userAgent });

function labelOf(source: EventSource): string {
  if (source.label) return source.label;
  if (source.actor?.kind === "user") return `${source.actor.name} <${source.actor.email}>`;
  return "obrasign";
}

/** Listeners run in the same transaction after each history entry (webhooks: recipient acts). */
export type EnvelopeEventListener = (ctx: AppContext, tx: Tx, envelopeId: string, type: string, data: Record<string, unknown> | undefined) => Promise<void>;
declare module "../../platform/hooks.js" {
  interface Hooks {
    /** Run in the transaction after each history entry (webhooks: a recipient acted). */
    envelopeEventListeners: EnvelopeEventListener[];
  }
}

/** Appends one entry to an envelope's history, inside the caller's transaction. */
export async function recordEnvelopeEvent(ctx: AppContext, tx: Tx, envelopeId: string, type: string, source: EventSource, data?: Record<string, unknown>) {
  await tx
    .insertInto("envelope_events")
    .values({
      id: newId(), envelope_id: envelopeId, type, actor_id: source.actor ? actorId(source.actor) : null, actor_label: labelOf(source),
      ip: source.ip ?? null, user_agent: source.userAgent?.slice(0, 300) ?? null, data: data ? JSON.stringify(data) : null,
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
  for (const listener of hooksOf(ctx, "envelopeEventListeners")) await listener(ctx, tx, envelopeId, type, data);
}
