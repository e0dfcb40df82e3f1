import { nowIso, actorId, type Actor, type AppContext } from "../../../platform/context.js";
import { generateSecret, hashSecret } from "../../../platform/crypto/tokens.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError, notFound } from "../../../platform/errors.js";
import { enforce, throttleRules } from "../../../platform/throttle/index.js";
import { format } from "../../../platform/i18n/index.js";
import { newId } from "../../../platform/ids.js";
import { queueMail } from "../../../platform/mail/outbox.js";
import { accountRefusals, authMessages } from "../messages.js";
import { findUserById } from "../queries.js";
import { openSession } from "./sign-in.js";

const invitationLifetimeMs = 7 * 24 * 3600 * 1000;

/**
 * Invites a user by e-mail: a one-time link (7 days) that signs them in to
 * choose a password at /account. A new invitation replaces the open ones.
 * The link is also returned, for the administrator to pass on when no
 * mail server is configured. Invitations to one user are limited
 * (platform/throttle): the first one counts, then each "Reenviar convite".
 */
export async function inviteUser(ctx: AppContext, actor: Actor, userId: string): Promise<{ link: string }> {
  const user = await findUserById(ctx, userId);
  if (!user || user.disabled_at) throw notFound("User");
  await enforce(ctx, throttleRules(ctx.config).resendInvitation, userId, "tooManyResends");
  const secret = generateSecret("inv");
  const link = `${ctx.config.publicUrl}/invite/${secret}`;
  const now = ctx.clock.now();
  const m = authMessages(user.locale ?? "pt-BR");
  await inTransaction(ctx, async (tx) => {
    await tx.updateTable("user_invitations").set({ used_at: now.toISOString() }).where("user_id", "=", userId).where("used_at", "is", null).execute();
    await tx
      .insertInto("user_invitations")
      .values({ id: newId(), user_id: userId, token_hash: hashSecret(secret), created_by: actorId(actor), created_at: now.toISOString(), expires_at: new Date(now.getTime() + invitationLifetimeMs).toISOString(), used_at: null })
      .execute();
    const by = actor.kind === "user" ? actor.name : "obrasign";
    await queueMail(ctx, tx, { to: user.email, subject: m.invitationMailSubject, text: format(m.invitationMail, { name: user.name, by, link }), secrets: [secret] });
  });
  ctx.notifyJobs();
  return { link };
}

/** Uses an invitation: once, before it expires, for an enabled user. Opens a session. */
export async function acceptInvitation(ctx: AppContext, token: string, meta: { ip?: string; userAgent?: string }) {
  if (!/^inv_[A-Za-z0-9_-]{20,}$/.test(token)) throw new AppError("not_found", accountRefusals("invitationInvalid"));
  return inTransaction(ctx, async (tx) => {
    const now = nowIso(ctx);
    const invitation = await tx.selectFrom("user_invitations").selectAll().where("token_hash", "=", hashSecret(token)).executeTakeFirst();
    if (!invitation || invitation.used_at || invitation.expires_at <= now) throw new AppError("not_found", accountRefusals("invitationInvalid"));
    const user = await findUserById({ db: tx }, invitation.user_id);
    if (!user || user.disabled_at) throw new AppError("not_found", accountRefusals("invitationInvalid"));
    const used = await tx.updateTable("user_invitations").set({ used_at: now }).where("id", "=", invitation.id).where("used_at", "is", null).executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw new AppError("not_found", accountRefusals("invitationInvalid"));
    return { secret: await openSession(ctx, tx, user.id, meta), user };
  });
}
