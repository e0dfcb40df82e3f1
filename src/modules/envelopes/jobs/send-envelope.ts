import { z } from "zod";
import { systemActor } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { defineJob, exponentialBackoff } from "../../../platform/jobs/registry.js";
import { moveEnvelope } from "../envelope-state.js";
import { providerOf } from "../providers.js";
import { activeRecipients, envelopeFiles, getEnvelopeRow } from "../queries.js";
import { readEnvelopeFile } from "../stored-files.js";
import { storedFailure } from "../provider-errors.js";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    "envelope.send": { envelopeId: string };
  }
}

/**
 * Sends a queued envelope to its provider. The provider reference is stored
 * the moment the provider has one (before publishing), so a retry after a
 * crash reuses it and never creates a second document at the provider.
 */
export const sendEnvelopeJob = defineJob({
  name: "envelope.send",
  schema: z.object({ envelopeId: z.string() }),
  retry: { maxAttempts: 5, backoffMs: exponentialBackoff(10_000, 10 * 60_000) },
  async handler(ctx, { envelopeId }) {
    const envelope = await getEnvelopeRow(ctx.db, envelopeId);
    if (envelope.status !== "queued") return;
    const { provider, author } = await providerOf(ctx, envelope);
    const files = await envelopeFiles(ctx.db, envelopeId, "original");
    const recipients = await activeRecipients(ctx.db, envelopeId);
    const { ref, status } = await provider.send({
      envelopeId,
      name: envelope.name,
      files: await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await readEnvelopeFile(ctx, envelopeId, f.sha256) }))),
      recipients: recipients.map((r) => ({
        name: r.name, email: r.email, action: r.action, order: r.sign_order, cpf: r.cpf, auth: r.auth,
        notifyBy: r.notify_channel, phone: r.phone, internationalId: r.international_id,
      })),
      signingOrder: envelope.signing_order === 1,
      expiresAt: envelope.expires_at ? new Date(envelope.expires_at) : null,
      subject: envelope.subject,
      message: envelope.message,
      allowRejection: envelope.allow_rejection === 1,
      reminderEveryDays: envelope.reminder_every_days,
      author,
      existingRef: envelope.provider_ref,
      onReference: async (reference) => {
        await ctx.db.updateTable("envelopes").set({ provider_ref: reference }).where("id", "=", envelopeId).execute();
      },
    });
    await inTransaction(ctx, async (tx) => {
      const current = await getEnvelopeRow(tx, envelopeId);
      if (current.status !== "queued") return;
      const now = ctx.clock.now().toISOString();
      if (status === "cancelled") {
        // An earlier attempt had published it and someone cancelled it at the provider since.
        await moveEnvelope(ctx, tx, current, "cancelled", { label: `${current.provider} (provider)` }, {
          set: { provider_ref: ref, completed_at: now, last_checked_at: now }, data: { providerRef: ref, atProvider: true },
        });
        return;
      }
      await moveEnvelope(ctx, tx, current, "pending", { actor: systemActor, label: "obrasign" }, {
        set: { provider_ref: ref, sent_at: now, last_checked_at: now, failure_reason: null }, event: "envelope.sent", data: { providerRef: ref },
      });
    });
  },
  async onGiveUp(ctx, { envelopeId }, error) {
    await inTransaction(ctx, async (tx) => {
      const envelope = await getEnvelopeRow(tx, envelopeId);
      if (envelope.status !== "queued") return;
      // A provider failure with a code (TAE's firewall, a missing permission) keeps it, so it is read in the reader's language.
      const failure = storedFailure(error);
      await moveEnvelope(ctx, tx, envelope, "failed", { label: "obrasign" }, {
        set: { failure_reason: failure.reason, failure_code: failure.code, failure_values: failure.values },
        event: "envelope.failed", data: { reason: failure.reason, ...(failure.code ? { code: failure.code, values: failure.values ? JSON.parse(failure.values) : {} } : {}) },
      });
    });
  },
});
