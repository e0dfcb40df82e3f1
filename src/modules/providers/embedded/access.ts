import type { AppContext } from "../../../platform/context.js";
import { hashSecret } from "../../../platform/crypto/tokens.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { signedCopyOf } from "../../../platform/config.js";
import { recipientByTokenHash } from "../../envelopes/recipients.js";
import { getEnvelopeRow } from "../../envelopes/queries.js";
import { signingErrors } from "./messages.js";

const endedStatuses = new Set(["completed", "rejected", "cancelled", "expired", "failed"] as const);
type Ended = typeof endedStatuses extends Set<infer S> ? S : never;
const hasEnded = (status: string): status is Ended => endedStatuses.has(status as Ended);

/**
 * A signing link's token → its recipient and envelope. Unknown tokens are
 * 404; links of an envelope that ended answer 410 Gone.
 */
export async function recipientByToken(ctx: AppContext, token: string, db: Db | Tx = ctx.db) {
  const found = await linkOwner(ctx, token, db);
  if (hasEnded(found.envelope.status)) throw new AppError("gone", signingErrors(found.envelope.status));
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
    throw new AppError("gone", signingErrors("finishedLinkExpired"));
  }
  if (hasEnded(envelope.status)) throw new AppError("gone", signingErrors(envelope.status));
  return { ...found, finished: false as const };
}

async function linkOwner(ctx: AppContext, token: string, db: Db | Tx) {
  if (!/^sig_[A-Za-z0-9_-]{20,}$/.test(token)) throw new AppError("not_found", signingErrors("linkInvalid"));
  const recipient = await recipientByTokenHash(db, hashSecret(token));
  if (!recipient) throw new AppError("not_found", signingErrors("linkInvalid"));
  if (recipient.removed_at) throw new AppError("gone", signingErrors("removed"));
  const envelope = await getEnvelopeRow(db, recipient.envelope_id);
  return { recipient, envelope };
}
