import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../../../platform/context.js";
import { AppError } from "../../../../platform/errors.js";
import { inTransaction } from "../../../../platform/db/transaction.js";
import { enqueue } from "../../../../platform/jobs/queue.js";
import { queueMail } from "../../../../platform/mail/outbox.js";
import { recordEnvelopeEvent } from "../../../envelopes/events.js";
import { lockEnvelope, moveEnvelope } from "../../../envelopes/envelope-state.js";
import { recipientByToken } from "../access.js";
import { stillToAct } from "../../../envelopes/eligibility.js";
import { brandOf, rejectedMail } from "../mails.js";
import { assertMayAct, hashCode, maxCodeAttempts } from "./request-code.js";
import { inviteEligibleRecipients } from "./invite-recipients.js";
import { recordRecipientAct } from "../../../envelopes/recipients.js";
import { activeRecipients, envelopeFiles } from "../../../envelopes/queries.js";
import { readEnvelopeFile } from "../../../envelopes/stored-files.js";
import { findUserById } from "../../../auth/queries.js";
import { signingErrors } from "../messages.js";

const maxDrawnBytes = 300_000;
export const signBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, { message: "must be the 6-digit code sent by e-mail" }),
  consent: z.literal(true, { message: "you must agree to sign electronically" }).optional(),
  signature: z.strictObject({
    type: z.enum(["typed", "drawn"]),
    value: z.string().min(1, { message: "is required" }).max(maxDrawnBytes),
  }).superRefine((s, c) => {
    if (s.type === "typed" && s.value.trim().length > 200) c.addIssue({ code: "custom", path: ["value"], message: "a typed signature has at most 200 characters" });
    if (s.type === "drawn" && !/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(s.value)) c.addIssue({ code: "custom", path: ["value"], message: "a drawn signature must be a PNG data URL" });
  }),
});
export const rejectBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, { message: "must be the 6-digit code sent by e-mail" }),
  reason: z.string().trim().min(3, { message: "tell the sender why (at least 3 characters)" }).max(2000),
});

export interface ActMeta {
  ip: string | null;
  userAgent: string | null;
  /** The addresses a trusted proxy forwarded, nearest first; absent without one. */
  forwardedChain?: string[];
}

/**
 * Checks the code. A try is claimed before the comparison, by one atomic
 * `attempts = attempts + 1 … where attempts < 5` (no read-then-write: parallel
 * tries on PostgreSQL each read the same count), so at most 5 comparisons ever
 * run per code, however many arrive at once; the claim commits even though
 * the act is refused.
 */
async function checkCode(ctx: AppContext, recipientId: string, code: string): Promise<string> {
  const current = await ctx.db
    .selectFrom("signing_codes")
    .select(["id", "expires_at"])
    .where("recipient_id", "=", recipientId)
    .where("consumed_at", "is", null)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!current) throw new AppError("unprocessable", signingErrors("askCodeFirst"), { code: "ask for a code first" });
  if (Date.parse(current.expires_at) <= ctx.clock.now().getTime()) throw new AppError("unprocessable", signingErrors("codeExpired"), { code: "expired: ask for a new one" });
  const claimed = await ctx.db
    .updateTable("signing_codes")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", current.id)
    .where("consumed_at", "is", null)
    .where("attempts", "<", maxCodeAttempts)
    .returning(["attempts", "code_hash"])
    .executeTakeFirst();
  if (!claimed) throw new AppError("unprocessable", signingErrors("tooManyTries"), { code: "too many wrong tries: ask for a new one" });
  const expected = Buffer.from(claimed.code_hash, "hex");
  const given = Buffer.from(hashCode(ctx, recipientId, code), "hex");
  if (timingSafeEqual(expected, given)) return current.id;
  const left = maxCodeAttempts - Number(claimed.attempts);
  throw new AppError("unprocessable", signingErrors(left === 0 ? "wrongCodeNone" : left === 1 ? "wrongCodeOne" : "wrongCodeMany", { left }), { code: "wrong code" });
}

const actedStatus = { sign: "signed", sign_certificate: "signed", validate: "validated", witness: "witnessed", observe: "signed" } as const;

/** A recipient signs (or validates, or witnesses) through the built-in provider. */
export async function signAsRecipient(ctx: AppContext, token: string, input: unknown, meta: ActMeta) {
  const body = signBody.parse(input);
  const { recipient, envelope } = await recipientByToken(ctx, token);
  await assertMayAct(ctx, envelope, recipient);
  const codeId = await checkCode(ctx, recipient.id, body.code);
  const files = await envelopeFiles(ctx.db, envelope.id, "original");
  // Nobody signs bytes other than those stored: a changed file refuses here.
  for (const file of files) await readEnvelopeFile(ctx, envelope.id, file.sha256);
  const now = ctx.clock.now().toISOString();
  let complete = false;
  await inTransaction(ctx, async (tx) => {
    // The envelope lock serializes recipients acting at once, so exactly one of them sees "everyone is done".
    const locked = await lockEnvelope(ctx, tx, envelope.id);
    if (locked.status !== "pending" && locked.status !== "partially_signed") throw new AppError("gone", signingErrors("notOpen"));
    const consumed = await tx.updateTable("signing_codes").set({ consumed_at: now }).where("id", "=", codeId).where("consumed_at", "is", null).executeTakeFirst();
    if (Number(consumed.numUpdatedRows) === 0) throw new AppError("conflict", signingErrors("codeUsed"));
    const evidence = {
      at: now, ip: meta.ip, ...(meta.forwardedChain ? { forwardedChain: meta.forwardedChain } : {}), userAgent: meta.userAgent, method: "email_code",
      name: recipient.name, email: recipient.email, cpf: recipient.cpf, action: recipient.action, documents: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
    };
    const acted = await recordRecipientAct(tx, recipient.id, { status: actedStatus[recipient.action], actedAt: now, evidence, signature: body.signature });
    if (!acted) throw new AppError("conflict", signingErrors("alreadyActed"));
    await recordEnvelopeEvent(ctx, tx, envelope.id, `recipient.${actedStatus[recipient.action]}`, { label: `${recipient.name} <${recipient.email}>`, ip: meta.ip, userAgent: meta.userAgent }, { recipientId: recipient.id, email: recipient.email, action: recipient.action, documents: evidence.documents });
    const recipients = await activeRecipients(tx, envelope.id);
    complete = stillToAct(recipients).length === 0;
    if (locked.status === "pending") await moveEnvelope(ctx, tx, locked, "partially_signed", { label: `${recipient.name} <${recipient.email}>`, ip: meta.ip }, { event: "envelope.partially_signed" });
    if (complete) await enqueue(ctx, tx, "envelope.complete", { envelopeId: envelope.id }, { dedupeKey: `complete:${envelope.id}` });
    else await inviteEligibleRecipients(ctx, envelope.id, tx);
  });
  ctx.notifyJobs();
  return { status: actedStatus[recipient.action], envelopeComplete: complete };
}

/** A recipient refuses, with a reason: the envelope ends as rejected and its author is told. */
export async function rejectAsRecipient(ctx: AppContext, token: string, input: unknown, meta: ActMeta) {
  const body = rejectBody.parse(input);
  const { recipient, envelope } = await recipientByToken(ctx, token);
  if (!envelope.allow_rejection) throw new AppError("conflict", signingErrors("noRejection"));
  await assertMayAct(ctx, envelope, recipient);
  const codeId = await checkCode(ctx, recipient.id, body.code);
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    const locked = await lockEnvelope(ctx, tx, envelope.id);
    const consumed = await tx.updateTable("signing_codes").set({ consumed_at: now }).where("id", "=", codeId).where("consumed_at", "is", null).executeTakeFirst();
    if (Number(consumed.numUpdatedRows) === 0) throw new AppError("conflict", signingErrors("codeUsed"));
    const evidence = { at: now, ip: meta.ip, ...(meta.forwardedChain ? { forwardedChain: meta.forwardedChain } : {}), userAgent: meta.userAgent, method: "email_code", name: recipient.name, email: recipient.email, cpf: recipient.cpf };
    const acted = await recordRecipientAct(tx, recipient.id, { status: "rejected", actedAt: now, evidence, rejectionReason: body.reason });
    if (!acted) throw new AppError("conflict", signingErrors("alreadyActed"));
    const source = { label: `${recipient.name} <${recipient.email}>`, ip: meta.ip, userAgent: meta.userAgent };
    await recordEnvelopeEvent(ctx, tx, envelope.id, "recipient.rejected", source, { recipientId: recipient.id, email: recipient.email, reason: body.reason });
    await moveEnvelope(ctx, tx, locked, "rejected", source, { set: { rejection_reason: body.reason, completed_at: now }, data: { reason: body.reason } });
    const author = locked.author_id ? await findUserById({ db: tx }, locked.author_id) : null;
    if (author) await queueMail(ctx, tx, { ...rejectedMail(await brandOf(ctx, tx), locked, author, recipient, body.reason), envelopeId: envelope.id });
  });
  ctx.notifyJobs();
  return { status: "rejected" as const };
}
