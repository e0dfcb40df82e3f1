import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import type { AppContext } from "../context.js";
import type { Db } from "../db/connect.js";
import type { Tx } from "../db/transaction.js";
import { newId } from "../ids.js";
import { enqueue } from "../jobs/queue.js";
import { defineJob, exponentialBackoff } from "../jobs/registry.js";

/**
 * Every mail is first a row in the outbox, written in the transaction of
 * the change that causes it, then sent by a job. Without SMTP_URL the row
 * is simply kept: an admin reads it (and its links) in "Caixa de saída".
 */
export interface MailInput {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; sha256: string }[];
  envelopeId?: string | null;
  /** Secrets in the text (a signing link's token, a code): blanked from the stored copy once SMTP took the mail. */
  secrets?: string[];
}

declare module "../jobs/registry.js" {
  interface JobPayloads {
    "mail.send": { mailId: string };
  }
}

export async function queueMail(ctx: AppContext, tx: Tx | Db, mail: MailInput): Promise<string> {
  const id = newId();
  await tx
    .insertInto("mails")
    .values({
      id, to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html ?? null,
      attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null, status: "queued",
      envelope_id: mail.envelopeId ?? null, error: null, created_at: ctx.clock.now().toISOString(), sent_at: null,
      secrets: mail.secrets?.length ? JSON.stringify(mail.secrets) : null,
    })
    .execute();
  await enqueue(ctx, tx, "mail.send", { mailId: id }, { dedupeKey: `mail:${id}` });
  return id;
}

/** The stored copy without its one-time secrets: once delivered, nobody needs them in the database. */
function scrubbed(mail: { subject: string; text_body: string; html_body: string | null; secrets: string | null }) {
  const secrets: string[] = mail.secrets ? JSON.parse(mail.secrets) : [];
  const blank = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("[removido após o envio]"), text);
  return { subject: blank(mail.subject), text_body: blank(mail.text_body), html_body: mail.html_body ? blank(mail.html_body) : null, secrets: null };
}

const transports = new Map<string, Transporter>();
function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export const sendMailJob = defineJob({
  name: "mail.send",
  schema: z.object({ mailId: z.string() }),
  retry: { maxAttempts: 8, backoffMs: exponentialBackoff(5_000, 30 * 60_000) },
  async handler(ctx, { mailId }) {
    const mail = await ctx.db.selectFrom("mails").selectAll().where("id", "=", mailId).executeTakeFirst();
    if (!mail || mail.status === "sent" || mail.status === "kept") return;
    if (!ctx.config.smtpUrl) {
      await ctx.db.updateTable("mails").set({ status: "kept" }).where("id", "=", mailId).execute();
      return;
    }
    const attachments = [];
    for (const a of (mail.attachments ? JSON.parse(mail.attachments) : []) as { filename: string; sha256: string }[]) {
      attachments.push({ filename: a.filename, content: Buffer.from(await ctx.blobs.get(a.sha256)), contentType: "application/pdf" });
    }
    await transportFor(ctx.config.smtpUrl).sendMail({
      from: ctx.config.mailFrom, to: mail.to_address, subject: mail.subject, text: mail.text_body,
      ...(mail.html_body ? { html: mail.html_body } : {}), attachments, messageId: `<${mail.id}@obrasign>`,
    });
    await ctx.db
      .updateTable("mails")
      .set({ status: "sent", sent_at: ctx.clock.now().toISOString(), error: null, ...scrubbed(mail) })
      .where("id", "=", mailId)
      .execute();
  },
  async onGiveUp(ctx, { mailId }, error) {
    await ctx.db.updateTable("mails").set({ status: "failed", error: error.message.slice(0, 500) }).where("id", "=", mailId).execute();
  },
});
