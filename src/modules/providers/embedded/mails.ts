import type { EnvelopesTable, RecipientsTable } from "../../../platform/db/schema.js";
import { brazilTimeZone, dateTimeFormat } from "../../../platform/i18n/formatters.js";

/** As `toLocaleString("pt-BR")` prints it (28/11/2026, 23:00:00), in Brasília time. */
const mailDeadline: Intl.DateTimeFormatOptions = {
  timeZone: brazilTimeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
};

/**
 * Mails of the built-in provider. pt-BR first with a short English line:
 * a recipient's language is unknown until they open the page.
 */
const actionPt: Record<RecipientsTable["action"], string> = {
  sign: "assinar", validate: "validar", witness: "assinar como testemunha", observe: "acompanhar", sign_certificate: "assinar com certificado digital",
};
const actionEn: Record<RecipientsTable["action"], string> = {
  sign: "sign", validate: "approve", witness: "sign as a witness", observe: "follow", sign_certificate: "sign with a digital certificate",
};

const footer = "\n\n—\nobrasign · Assinatura eletrônica de contratos de obras";

export function invitationMail(envelope: Pick<EnvelopesTable, "name" | "author_label" | "message" | "subject" | "expires_at">, recipient: RecipientsTable, link: string, reminder = false) {
  const subject = envelope.subject ?? `${reminder ? "Lembrete: " : ""}Documento para ${actionPt[recipient.action]}: ${envelope.name}`;
  const deadline = envelope.expires_at ? `\nPrazo: ${dateTimeFormat("pt-BR", mailDeadline).format(new Date(envelope.expires_at))}` : "";
  const text =
    `Olá, ${recipient.name}.\n\n${envelope.author_label.replace(/ <.*>$/, "")} enviou o documento "${envelope.name}" para você ${actionPt[recipient.action]}.` +
    (envelope.message ? `\n\n${envelope.message}` : "") +
    `\n\nAbra o documento: ${link}${deadline}\n\nO link é pessoal: não o encaminhe. Um código de confirmação será enviado a este e-mail quando você for ${actionPt[recipient.action]}.` +
    `\n\n(EN) You were asked to ${actionEn[recipient.action]} "${envelope.name}": ${link}` + footer;
  return { to: recipient.email, subject, text };
}

export function codeMail(envelope: Pick<EnvelopesTable, "name">, recipient: RecipientsTable, code: string) {
  return {
    to: recipient.email,
    subject: `Seu código de confirmação: ${code}`,
    text: `Olá, ${recipient.name}.\n\nSeu código para o documento "${envelope.name}" é:\n\n    ${code}\n\nEle vale por 15 minutos. Se não foi você quem pediu, ignore este e-mail.\n\n(EN) Your confirmation code is ${code}; it is valid for 15 minutes.` + footer,
  };
}

export function completedMail(envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }, verifyUrl: string) {
  return {
    to: to.email,
    subject: `Documento finalizado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\nTodos os destinatários concluíram o documento "${envelope.name}". A via assinada segue anexa.\n\nVerifique a autenticidade em ${verifyUrl}\n\n(EN) Everyone has acted on "${envelope.name}"; the signed copy is attached.` + footer,
  };
}

export function rejectedMail(envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }, recipient: RecipientsTable, reason: string) {
  return {
    to: to.email,
    subject: `Documento rejeitado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\n${recipient.name} <${recipient.email}> rejeitou o documento "${envelope.name}".\n\nMotivo: ${reason}\n\n(EN) ${recipient.name} rejected "${envelope.name}". Reason: ${reason}` + footer,
  };
}

export function expiredMail(envelope: Pick<EnvelopesTable, "name">, to: { name: string; email: string }) {
  return {
    to: to.email,
    subject: `Prazo encerrado: ${envelope.name}`,
    text: `Olá, ${to.name}.\n\nO prazo do documento "${envelope.name}" terminou antes que todos assinassem. Ele foi marcado como expirado.\n\n(EN) "${envelope.name}" expired before everyone acted.` + footer,
  };
}
