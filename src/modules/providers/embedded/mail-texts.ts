import { catalogue } from "../../../platform/i18n/text.js";

/**
 * The built-in provider's mails, in the envelope's language (chosen when it
 * was sent: the recipients read the same language as their documents).
 * `{action}` is one of `actions` below, in the same language.
 */
export const recipientMails = catalogue(
  {
    invitationSubject: "Documento para {action}: {name}",
    reminderSubject: "Lembrete: documento para {action}: {name}",
    invitation: "Olá, {recipient}.\n\n{sender} enviou o documento \"{name}\" para você {action}.",
    invitationLink: "Abra o documento: {link}",
    deadline: "Prazo: {at}",
    personalLink: "O link é pessoal: não o encaminhe. Um código de confirmação será enviado a este e-mail quando você for {action}.",
    codeSubject: "Seu código de confirmação para \"{name}\"",
    code: "Olá, {recipient}.\n\nSeu código para o documento \"{name}\" é:\n\n    {code}\n\nEle vale por 15 minutos. Se não foi você quem pediu, ignore este e-mail.",
    completedSubject: "Documento finalizado: {name}",
    completed: "Olá, {recipient}.\n\nTodos os destinatários concluíram o documento \"{name}\". {how}\n\nVerifique a autenticidade em {verifyUrl}",
    attached: "A via assinada segue anexa.",
    linked: "A via assinada é grande demais para seguir anexa; baixe-a em:\n{link}",
    linkDays: "(o link vale por {days} dias)",
    rejectedSubject: "Documento rejeitado: {name}",
    rejected: "Olá, {recipient}.\n\n{who} rejeitou o documento \"{name}\".\n\nMotivo: {reason}",
    expiredSubject: "Prazo encerrado: {name}",
    expired: "Olá, {recipient}.\n\nO prazo do documento \"{name}\" terminou antes que todos assinassem. Ele foi marcado como expirado.",
    expiredRecipient: "Olá, {recipient}.\n\nO prazo do documento \"{name}\" terminou antes que todos assinassem. O link que você recebeu não vale mais; nada mais é preciso da sua parte.",
    cancelledSubject: "Documento cancelado: {name}",
    cancelled: "Olá, {recipient}.\n\n{sender} cancelou o documento \"{name}\". O link que você recebeu não vale mais; nada mais é preciso da sua parte.",
    reason: "Motivo: {reason}",
    footer: "obrasign · Assinatura eletrônica de contratos de obras",
  },
  {
    invitationSubject: "Document to {action}: {name}",
    reminderSubject: "Reminder: document to {action}: {name}",
    invitation: "Hello, {recipient}.\n\n{sender} sent you the document \"{name}\" to {action}.",
    invitationLink: "Open the document: {link}",
    deadline: "Deadline: {at}",
    personalLink: "The link is personal: do not forward it. A confirmation code will be sent to this address when you {action}.",
    codeSubject: "Your confirmation code for \"{name}\"",
    code: "Hello, {recipient}.\n\nYour code for the document \"{name}\" is:\n\n    {code}\n\nIt is valid for 15 minutes. If you did not ask for it, ignore this e-mail.",
    completedSubject: "Document completed: {name}",
    completed: "Hello, {recipient}.\n\nEveryone has acted on the document \"{name}\". {how}\n\nVerify its authenticity at {verifyUrl}",
    attached: "The signed copy is attached.",
    linked: "The signed copy is too large to attach; download it at:\n{link}",
    linkDays: "(the link is valid for {days} days)",
    rejectedSubject: "Document rejected: {name}",
    rejected: "Hello, {recipient}.\n\n{who} rejected the document \"{name}\".\n\nReason: {reason}",
    expiredSubject: "Deadline passed: {name}",
    expired: "Hello, {recipient}.\n\nThe deadline of the document \"{name}\" passed before everyone acted. It was marked as expired.",
    expiredRecipient: "Hello, {recipient}.\n\nThe deadline of the document \"{name}\" passed before everyone acted. The link you received no longer works; nothing more is needed from you.",
    cancelledSubject: "Document cancelled: {name}",
    cancelled: "Hello, {recipient}.\n\n{sender} cancelled the document \"{name}\". The link you received no longer works; nothing more is needed from you.",
    reason: "Reason: {reason}",
    footer: "obrasign · Electronic signature of construction contracts",
  },
);

export const mailActions = {
  "pt-BR": { sign: "assinar", validate: "validar", witness: "assinar como testemunha", observe: "acompanhar", sign_certificate: "assinar com certificado digital" },
  en: { sign: "sign", validate: "approve", witness: "sign as a witness", observe: "follow", sign_certificate: "sign with a digital certificate" },
} as const;
