import type { AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inviteEligibleRecipients } from "./commands/invite-recipients.js";
import type { ProviderState, SignatureProvider } from "../../../platform/providers/port.js";

/**
 * The built-in provider: obrasign itself is the signing service. Its
 * "provider reference" is the envelope id, its state is the envelope's own
 * rows, and sending means mailing signing links to whoever may act now.
 */
export function embeddedProvider(ctx: AppContext): SignatureProvider {
  return {
    name: "embedded",
    async send(input) {
      await input.onReference(input.envelopeId);
      await inviteEligibleRecipients(ctx, input.envelopeId);
      return { ref: input.envelopeId };
    },
    async status(ref): Promise<ProviderState> {
      const envelope = await ctx.db.selectFrom("envelopes").selectAll().where("id", "=", ref).executeTakeFirst();
      if (!envelope) return { status: "cancelled", rejectionReason: null, expiresAt: null, recipients: [] };
      const recipients = await ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "=", ref).where("removed_at", "is", null).execute();
      const status = envelope.status === "queued" || envelope.status === "failed" ? "pending" : envelope.status;
      return {
        status,
        rejectionReason: envelope.rejection_reason,
        expiresAt: envelope.expires_at ? new Date(envelope.expires_at) : null,
        recipients: recipients.map((r) => ({ email: r.email, status: r.status, actedAt: r.acted_at ? new Date(r.acted_at) : null, rejectionReason: r.rejection_reason })),
      };
    },
    // Links die with the envelope's status: nothing else to withdraw.
    async cancel() {},
    async addRecipient(ref) {
      await inviteEligibleRecipients(ctx, ref);
    },
    async removeRecipient() {},
    async download(ref, kind) {
      const file = await ctx.db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", ref).where("kind", "=", kind).orderBy("position").executeTakeFirst();
      if (!file) throw new AppError("not_found", `No ${kind} file`);
      return { name: file.name, bytes: await ctx.blobs.get(file.sha256) };
    },
    // obrasign users are the built-in provider's authors: no separate accounts.
    async ensureAuthor() {
      return { exists: true, created: false };
    },
  };
}
