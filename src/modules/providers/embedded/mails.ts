import type { AppContext } from "../../../platform/context.js";
import type { Db } from "../../../platform/db/connect.js";
import type { EnvelopesTable, RecipientsTable } from "../../../platform/db/schema.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { companyIdentity, companyLogoUrl } from "../../company/identity.js";
import { brazilTimeZone, dateTimeFormat } from "../../../platform/i18n/formatters.js";
import type { Locale } from "../../../platform/i18n/index.js";
import { mailActions, recipientMails as t } from "./mail-texts.js";

/** As `toLocaleString("pt-BR")` prints it (28/11/2026, 23:00:00), in Brasília time. */
const mailDeadline: Intl.DateTimeFormatOptions = {
  timeZone: brazilTimeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
};

/**
 * Mails of the built-in provider, in the envelope's language (its documents'
 * language, chosen when it was sent). Each one is headed by the company's
 * name and logo (set by an admin), so a supplier sees who asks them;
 * one-time codes never go in a subject (lock screens and mail previews show
 * subjects).
 */
type MailEnvelope = Pick<EnvelopesTable, "name"> & { locale?: Locale | null };
const languageOf = (envelope: { locale?: Locale | null }): Locale => envelope.locale ?? "pt-BR";

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
export function branded(brand: Brand, mail: PlainMail, language: Locale = "pt-BR"): PlainMail & { html: string } {
  const footer = `\n\n—\n${brand.name ? `${brand.name} · ` : ""}${t("footer")[language]}`;
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
  const html = `<!doctype html><html lang="${language}"><body style="font-family:Arial,Helvetica,sans-serif;color:#10243e;line-height:1.45;max-width:600px">${head}\n${body}</body></html>`;
  return { to: mail.to, subject, text, html };
}

const senderOf = (envelope: Pick<EnvelopesTable, "author_label">, brand: Brand) => {
  const person = envelope.author_label.replace(/ <.*>$/, "");
  return brand.name ? `${person} (${brand.name})` : person;
};

export function invitationMail(brand: Brand, envelope: MailEnvelope & Pick<EnvelopesTable, "author_label" | "message" | "subject" | "expires_at">, recipient: RecipientsTable, link: string, reminder = false) {
  const lang = languageOf(envelope);
  const action = mailActions[lang][recipient.action];
  const values = { action, name: envelope.name, recipient: recipient.name, sender: senderOf(envelope, brand), link };
  const subject = envelope.subject ?? t(reminder ? "reminderSubject" : "invitationSubject", values)[lang];
  const deadline = envelope.expires_at ? `\n${t("deadline", { at: dateTimeFormat(lang === "en" ? "en-GB" : "pt-BR", mailDeadline).format(new Date(envelope.expires_at)) })[lang]}` : "";
  const text = t("invitation", values)[lang] + (envelope.message ? `\n\n${envelope.message}` : "") +
    `\n\n${t("invitationLink", values)[lang]}${deadline}\n\n${t("personalLink", values)[lang]}`;
  return branded(brand, { to: recipient.email, subject, text }, lang);
}

export function codeMail(brand: Brand, envelope: MailEnvelope, recipient: RecipientsTable, code: string) {
  const lang = languageOf(envelope);
  const values = { name: envelope.name, recipient: recipient.name, code };
  return branded(brand, { to: recipient.email, subject: t("codeSubject", values)[lang], text: t("code", values)[lang] }, lang);
}

/** The signed copy: attached, or (over the size limit) a link to the finalized document. */
export function completedMail(brand: Brand, envelope: MailEnvelope, to: { name: string; email: string }, verifyUrl: string, delivery: { attached: true } | { attached: false; link: string; days: number | null }) {
  const lang = languageOf(envelope);
  const how = delivery.attached
    ? t("attached")[lang]
    : t("linked", { link: delivery.link })[lang] + (delivery.days ? `\n${t("linkDays", { days: delivery.days })[lang]}` : "");
  const values = { name: envelope.name, recipient: to.name, how, verifyUrl };
  return branded(brand, { to: to.email, subject: t("completedSubject", values)[lang], text: t("completed", values)[lang] }, lang);
}

export function rejectedMail(brand: Brand, envelope: MailEnvelope, to: { name: string; email: string }, recipient: RecipientsTable, reason: string) {
  const lang = languageOf(envelope);
  const values = { name: envelope.name, recipient: to.name, who: `${recipient.name} <${recipient.email}>`, reason };
  return branded(brand, { to: to.email, subject: t("rejectedSubject", values)[lang], text: t("rejected", values)[lang] }, lang);
}

/** To the author (the envelope was marked expired) or to a recipient who had not acted (their link is dead). */
export function expiredMail(brand: Brand, envelope: MailEnvelope, to: { name: string; email: string }, kind: "author" | "recipient" = "author") {
  const lang = languageOf(envelope);
  const values = { name: envelope.name, recipient: to.name };
  return branded(brand, { to: to.email, subject: t("expiredSubject", values)[lang], text: t(kind === "author" ? "expired" : "expiredRecipient", values)[lang] }, lang);
}

/** To a recipient of a cancelled envelope: the link they hold is dead, and why. */
export function cancelledMail(brand: Brand, envelope: MailEnvelope & Pick<EnvelopesTable, "author_label">, to: { name: string; email: string }, reason: string | null) {
  const lang = languageOf(envelope);
  const values = { name: envelope.name, recipient: to.name, sender: senderOf(envelope, brand) };
  const text = t("cancelled", values)[lang] + (reason ? `\n\n${t("reason", { reason })[lang]}` : "");
  return branded(brand, { to: to.email, subject: t("cancelledSubject", values)[lang], text }, lang);
}
