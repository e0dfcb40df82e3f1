import type { AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import type { ProviderState, SignatureProvider } from "../../../platform/providers/port.js";
import { findUserById } from "../../auth/queries.js";
import { stillToAct } from "../../envelopes/eligibility.js";
import { lockEnvelope, openStatuses } from "../../envelopes/envelope-state.js";
import { activeRecipients, envelopeFiles, findEnvelopeRow } from "../../envelopes/queries.js";
import { inviteEligibleRecipients, issueInvitation } from "./commands/invite-recipients.js";
import { expireIfDue } from "./jobs.js";

/**
 * The built-in provider: obrasign itself is the signing service. Its
 * "provider reference" is the envelope id, its state is the envelope's own
 * rows, and sending means mailing signing links to whoever may act now.
 */
export function embeddedProvider(ctx: AppContext): SignatureProvider {
  return {
    name: "embedded",
    remote: false,
    // Its invitations and codes go by e-mail only.
    channels: ["email"],
    textLimits: null,

    // obrasign users are the built-in provider's authors.
    async authorOf(envelope) {
      const user = envelope.authorId ? await findUserById(ctx, envelope.authorId) : undefined;
      return user ? { email: user.email, name: user.name } : { email: "", name: envelope.authorLabel };
    },

    async send(input) {
      await input.onReference(input.envelopeId);
      await inviteEligibleRecipients(ctx, input.envelopeId);
      return { ref: input.envelopeId };
    },

    // The state is obrasign's own already; only the deadline can move it.
    async status(ref): Promise<ProviderState> {
      await expireIfDue(ctx, ref);
      const envelope = await findEnvelopeRow(ctx.db, ref);
      if (!envelope) return { status: "cancelled", rejectionReason: null, expiresAt: null, recipients: [] };
      const recipients = await activeRecipients(ctx.db, ref);
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

    // A new link replaces the old one (a lost or forwarded link stops working).
    async resend(envelope, recipient) {
      await inTransaction(ctx, async (tx) => {
        const row = await lockEnvelope(ctx, tx, envelope.id);
        const current = (await activeRecipients(tx, envelope.id)).find((r) => r.id === recipient.id);
        if (!current) throw new AppError("not_found", "Recipient not found in this envelope");
        await issueInvitation(ctx, tx, row, current, { kind: "resend" });
      });
      ctx.notifyJobs();
    },

    // After a removal: invite whoever may act now, or finish when nobody is left to act.
    async afterRecipientsChanged(envelope) {
      await inTransaction(ctx, async (tx) => {
        const row = await lockEnvelope(ctx, tx, envelope.id);
        if (!openStatuses.includes(row.status)) return;
        const recipients = await activeRecipients(tx, envelope.id);
        const acted = recipients.some((r) => r.acted_at);
        if (stillToAct(recipients).length === 0 && acted) await enqueue(ctx, tx, "envelope.complete", { envelopeId: envelope.id }, { dedupeKey: `complete:${envelope.id}` });
        else await inviteEligibleRecipients(ctx, envelope.id, tx);
      });
      ctx.notifyJobs();
    },

    async download(ref, kind) {
      const [file] = await envelopeFiles(ctx.db, ref, kind);
      if (!file) throw new AppError("not_found", `No ${kind} file`);
      return { name: file.name, bytes: await ctx.blobs.get(file.sha256) };
    },

    async ensureAuthor() {
      return { exists: true, created: false };
    },
  };
}
