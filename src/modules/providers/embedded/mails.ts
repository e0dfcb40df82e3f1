import type { AppContext } from "../../../platform/context.js";
import type { Db } from "../../../platform/db/connect.js";
import type { EnvelopesTable, RecipientsTable } from "../../../platform/db/schema.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { companyIdentity, companyLogoUrl } from "../../company/identity.js";
import { brazilTimeZone, dateTimeFormat } from "../../../platform/i18n/formatters.js";

/** As `toLocaleString("pt-BR")` prints it (28/11/2026, 23:00:00), in Brasília time. */
const mailDeadline: Intl.DateTimeFormatOptions = {
  timeZone: brazilTimeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
};

/**
 * Mails of the built-in provider. pt-BR first with a short English line:
 * a recipient's language is unknown until they open the page. Each one is
 * headed by the company's name and logo (set by an admin), so a supplier
 * sees who asks them; one-time codes never go in a subject (lock screens
 * and mail previews show subjects).
 */
const actionPt: Record<RecipientsTable["action"], string> = {
  sign: "assinar", validate: "validar", witness: "assinar como testemunha", observe: "acompanhar", sign_certificate: "assinar com certificado digital",
};
const actionEn: Record<RecipientsTable["action"], string> = {
  sign: "sign", validate: "approve", witness: "sign as a witness", observe: "follow", sign_certificate: "sign with a digital certificate",
};

export interface Brand {
  name: string | null;
  logoUrl: string | null;
}

export interface PlainMail {
  to: string;
  subject: string;
  text: string;
}

export async function brandOf(ctx: AppContext, db: Db | Tx = ctx.db): Promise<Brand> {
  const identity = await companyIdentity({ db });
  return { name: identity.name, logoUrl: companyLogoUrl(ctx, identity.logo) };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The company's name in the subject and the footer, and an HTML part (the same text, the logo on top, links clickable). */
export function branded(brand: Brand, mail: PlainMail): PlainMail & { html: string } {
  const footer = `\n\n—\n${brand.name ? `${brand.name} · ` : ""}obrasign · Assinatura eletrônica de contratos de obras`;
  const text = mail.text + footer;
  const subject = brand.name ? `${mail.subject} · ${brand.name}` : mail.subject;
  const body = escapeHtml(text)
    .replace(/https?:\/\/[^\s<>"]+/g, (url) => `<a href="${url}">${url}</a>`)
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const head = brand.logoUrl
    ? `<p><img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name ?? "")}" style="max-height:56px;max-width:220px"></p>`
    : brand.name ? `<p><strong>${escapeHtml(brand.name)}</strong></p>` : "";
  const html = `<!doctype html><html lang="pt-BR"><body style="font-family:Arial,Helvetica,sans-serif;color:#10243e;line-height:1.45;max-width:600px">${head}\n${body}</body></html>`;
  return { to: mail.to, subject, text, html };
}

const senderOf = (envelope: Pick<EnvelopesTable, "author_label">, brand: Brand) => {
  const person = envelope.author_label.replace(/ <.*>$/, "");
  return brand.name ? `${person} (${brand.name})` : person;
};

export function invitationMail(brand: Brand, envelope: Pick<EnvelopesTable, "name" | "author_label" | "message" | "subject" | "expires_at">, recipient: RecipientsTable, link: string, reminder = false) {
  const subject = envelope.subject ?? `${reminder ? "Lembrete: " : ""}Documento para ${actionPt[recipient.action]}: ${envelope.name}`;
  const deadline = envelope.expires_at ? `\nPrazo: ${dateTimeFormat("pt-BR", mailDeadline).format(new Date(envelope.expires_at))}` : "";
  const text =
    `Olá, ${recipient.name}.\n\n${senderOf(envelope, brand)} enviou o documento "${envelope.name}" para você ${actionPt[recipient.action]}.` +
    (envelope.message ? `\n\n${envelope.message}` : "") +
    `\n\nAbra o documento: ${link}${deadline}\n\nO link é pessoal: não o encaminhe. Um código de confirmação será enviado a este e-mail quando você for ${actionPt[recipient.action]}.` +
    `\n\n(EN) You were asked to ${actionEn[recipient.action]} "${envelope.name}": ${link}`;
  return branded(brand, { to: recipient.email, subject, text });
}

export function codeMail(brand: Brand, envelope: Pick<EnvelopesTable, "name">, recipient: RecipientsTable, code: string) {
  return branded(brand, {
    to: recipient.email,
    subject: `Seu código de confirmação para "${envelope.name}"`,
    text: `Olá, ${recipient.name}.\n\nSeu código para o documento "${envelope.name}" é:\n\n    ${code}\n\nEle vale por 15 minutos. Se não foi você quem pediu, ignore este e-mail.\n\n(EN) Your confirmation code is ${code}; it is valid for 15 minutes.`,
  });
}

/** The signed copy: attached, or (over the size limit) a link to the finalized document. */
export function completedMail(brand: Brand, envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }, verifyUrl: string, delivery: { attached: true } | { attached: false; link: string; days: number | null }) {
  const how = delivery.attached
    ? { pt: "A via assinada segue anexa.", en: "the signed copy is attached." }
    : {
        pt: `A via assinada é grande demais para seguir anexa; baixe-a em:\n${delivery.link}${delivery.days ? `\n(o link vale por ${delivery.days} dias)` : ""}`,
        en: `download the signed copy at ${delivery.link}`,
      };
  return branded(brand, {
    to: to.email,
    subject: `Documento finalizado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\nTodos os destinatários concluíram o documento "${envelope.name}". ${how.pt}\n\nVerifique a autenticidade em ${verifyUrl}\n\n(EN) Everyone has acted on "${envelope.name}"; ${how.en}`,
  });
}

export function rejectedMail(brand: Brand, envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }, recipient: RecipientsTable, reason: string) {
  return branded(brand, {
    to: to.email,
    subject: `Documento rejeitado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\n${recipient.name} <${recipient.email}> rejeitou o documento "${envelope.name}".\n\nMotivo: ${reason}\n\n(EN) ${recipient.name} rejected "${envelope.name}". Reason: ${reason}`,
  });
}

export function expiredMail(brand: Brand, envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }) {
  return branded(brand, {
    to: to.email,
    subject: `Prazo encerrado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\nO prazo do documento "${envelope.name}" terminou antes que todos assinassem. Ele foi marcado como expirado.\n\n(EN) "${envelope.name}" expired before everyone acted.`,
  });
}
