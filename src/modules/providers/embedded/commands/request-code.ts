import { randomInt } from "node:crypto";
import type { AppContext } from "../../../../platform/context.js";
import { AppError, rateLimited } from "../../../../platform/errors.js";
import { hit, type ThrottleRule } from "../../../../platform/throttle/index.js";
import { inTransaction } from "../../../../platform/db/transaction.js";
import { newId } from "../../../../platform/ids.js";
import { queueMail } from "../../../../platform/mail/outbox.js";
import { recordEnvelopeEvent } from "../../../envelopes/events.js";
import { recipientByToken } from "../access.js";
import { eligibleNow } from "../../../envelopes/eligibility.js";
import { brandOf, codeMail } from "../mails.js";
import { activeRecipients } from "../../../envelopes/queries.js";
import { signingErrors } from "../messages.js";

export const codeLifetimeMs = 15 * 60_000;
export const maxCodeAttempts = 5;
/** One code per 30 s and five per hour, per recipient; counted through platform/throttle, so every node shares them. */
const codeInterval: ThrottleRule = { name: "signing-code-interval", limit: 1, windowMs: 30_000 };
const codesPerHour: ThrottleRule = { name: "signing-code-hour", limit: 5, windowMs: 3_600_000 };

/** Codes are kept as an HMAC under the installation key: a leaked table does not reveal them. */
export const hashCode = (ctx: AppContext, recipientId: string, code: string) => ctx.secrets.mac(`signing-code:${recipientId}:${code}`);

/** Checks that this recipient may act now: not yet acted, and, with an order, its turn has come. */
export async function assertMayAct(ctx: AppContext, envelope: { id: string; signing_order: number }, recipient: { id: string; status: string; action: string }) {
  if (recipient.status !== "pending") throw new AppError("conflict", signingErrors("alreadyActed"));
  if (recipient.action === "observe") throw new AppError("conflict", signingErrors("observerOnly"));
  const recipients = await activeRecipients(ctx.db, envelope.id);
  if (!eligibleNow(envelope, recipients).some((r) => r.id === recipient.id)) {
    throw new AppError("conflict", signingErrors("notYourTurn"));
  }
}

/** Sends a 6-digit code by e-mail; rate-limited per recipient (one per 30 s, five per hour). */
export async function requestSigningCode(ctx: AppContext, token: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const { recipient, envelope } = await recipientByToken(ctx, token);
  await assertMayAct(ctx, envelope, recipient);
  const now = ctx.clock.now();
  // The 30 s rule first: a double click must not spend the hour's quota.
  const soon = await hit(ctx, codeInterval, recipient.id);
  if (!soon.allowed) throw rateLimited(signingErrors("codeJustSent"), soon.retryAfterMs);
  const hourly = await hit(ctx, codesPerHour, recipient.id);
  if (!hourly.allowed) throw rateLimited(signingErrors("tooManyCodes"), hourly.retryAfterMs);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await inTransaction(ctx, async (tx) => {
    // A new code replaces the old ones.
    await tx.updateTable("signing_codes").set({ consumed_at: now.toISOString() }).where("recipient_id", "=", recipient.id).where("consumed_at", "is", null).execute();
    await tx
      .insertInto("signing_codes")
      .values({ id: newId(), recipient_id: recipient.id, code_hash: hashCode(ctx, recipient.id, code), created_at: now.toISOString(), expires_at: new Date(now.getTime() + codeLifetimeMs).toISOString(), attempts: 0, consumed_at: null })
      .execute();
    await queueMail(ctx, tx, { ...codeMail(await brandOf(ctx, tx), envelope, recipient, code), envelopeId: envelope.id, secrets: [code] });
    await recordEnvelopeEvent(ctx, tx, envelope.id, "recipient.code_sent", { label: `${recipient.name} <${recipient.email}>`, ip: meta.ip, userAgent: meta.userAgent }, { recipientId: recipient.id });
  });
  ctx.notifyJobs();
  return { sent: true, expiresInSeconds: codeLifetimeMs / 1000 };
}
