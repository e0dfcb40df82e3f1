import { z } from "zod";
import type { AppContext } from "../../../platform/context.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { defineJob, exponentialBackoff } from "../../../platform/jobs/registry.js";
import { refreshEnvelope } from "../../envelopes/commands/refresh-envelope.js";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    "envelope.refresh": { envelopeId: string };
  }
}

/** Asks the provider where one envelope stands (a provider's call is a hint; polling stays the source of truth). */
export const refreshEnvelopeJob = defineJob({
  name: "envelope.refresh",
  schema: z.object({ envelopeId: z.string() }),
  retry: { maxAttempts: 5, backoffMs: exponentialBackoff(30_000, 15 * 60_000) },
  async handler(ctx, { envelopeId }) {
    await refreshEnvelope(ctx, envelopeId);
  },
});

/** At most one refresh per envelope per minute, however often the provider calls. */
export function enqueueEnvelopeRefresh(ctx: AppContext, db: Db | Tx, envelopeId: string) {
  const minute = Math.floor(ctx.clock.now().getTime() / 60_000);
  return enqueue(ctx, db, "envelope.refresh", { envelopeId }, { dedupeKey: `envelope.refresh:${envelopeId}:${minute}` });
}
