import type { AppContext } from "../../../platform/context.js";
import { hashSecret } from "../../../platform/crypto/tokens.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { signedCopyOf } from "../../../platform/config.js";
import { recipientByTokenHash } from "../../envelopes/recipients.js";
import { getEnvelopeRow } from "../../envelopes/queries.js";

const endedMessages: Record<string, string> = {
  completed: "This document is already completed; the link no longer works",
  rejected: "This document was rejected; the link no longer works",
  cancelled: "This document was cancelled; the link no longer works",
  expired: "The deadline of this document has passed; the link no longer works",
  failed: "This document could not be sent; the link does not work",
};

/**
 * A signing link's token → its recipient and envelope. Unknown tokens are
 * 404; links of an envelope that ended answer 410 Gone.
 */
export async function recipientByToken(ctx: AppContext, token: string, db: Db | Tx = ctx.db) {
  const found = await linkOwner(ctx, token, db);
  const ended = endedMessages[found.envelope.status];
  if (ended) throw new AppError("gone", ended);
  return found;
}

/**
 * What a link may still show: the open envelope, or — for the configured
 * number of days after completion — the finished document and its signed
 * copy ("documento finalizado"). Acting goes through `recipientByToken`.
 */
export async function recipientForView(ctx: AppContext, token: string, db: Db | Tx = ctx.db) {
  const found = await linkOwner(ctx, token, db);
  const { envelope } = found;
  if (envelope.status === "completed" && envelope.completed_at) {
    const days = signedCopyOf(ctx.config).linkDays;
    if (ctx.clock.now().getTime() - Date.parse(envelope.completed_at) <= days * 86_400_000) return { ...found, finished: true as const };
    throw new AppError("gone", "This document was completed and its link has expired; ask the sender for the signed copy");
  }
  const ended = endedMessages[envelope.status];
  if (ended) throw new AppError("gone", ended);
  return { ...found, finished: false as const };
}

async function linkOwner(ctx: AppContext, token: string, db: Db | Tx) {
  if (!/^sig_[A-Za-z0-9_-]{20,}$/.test(token)) throw new AppError("not_found", "This signing link is not valid");
  const recipient = await recipientByTokenHash(db, hashSecret(token));
  if (!recipient) throw new AppError("not_found", "This signing link is not valid");
  if (recipient.removed_at) throw new AppError("gone", "You were removed from this document; the link no longer works");
  const envelope = await getEnvelopeRow(db, recipient.envelope_id);
  return { recipient, envelope };
}
