/** Labels and formatting of the signature manifest, pt-BR first. */
export type ManifestLocale = "pt-BR" | "en";
export type RecipientAction = "sign" | "validate" | "witness" | "observe" | "sign_certificate";

const LABELS = {
  "pt-BR": {
    title: "Manifesto de assinaturas",
    document: "Documento",
    envelope: "Envelope",
    originalHash: "SHA-256 do documento original",
    verify: "Verifique a autenticidade em",
    scanToVerify: "Aponte a câmera para verificar",
    recipients: "Participantes",
    email: "E-mail",
    cpf: "CPF",
    actedAt: "Data e hora",
    brasilia: "horário de Brasília",
    ip: "Endereço IP",
    device: "Dispositivo",
    method: "Autenticação",
    signature: "Assinatura",
    page: (n: number, total: number) => `Página ${n} de ${total} do manifesto`,
    footer: "Este manifesto é parte integrante do documento e foi selado digitalmente.",
    actions: {
      sign: "Assinado",
      validate: "Validado",
      witness: "Testemunhado",
      observe: "Ciente (observador)",
      sign_certificate: "Assinado com certificado digital",
    },
    methods: { email_code: "Código de uso único enviado ao e-mail do participante", "e-mail code": "Código de uso único enviado ao e-mail do participante" } as Record<string, string>,
    timeline: "Linha do tempo do envelope",
    timelineNote: "Horário de Brasília e UTC, do registro do envelope.",
    events: {
      "envelope.created": "Envelope criado", "envelope.sent": "Envelope enviado", "envelope.pending": "Envelope enviado",
      "recipient.invited": "Convite enviado", "recipient.invitation_resent": "Convite reenviado", "recipient.reminded": "Lembrete enviado",
      "recipient.opened": "Link aberto", "recipient.code_sent": "Código enviado por e-mail",
      "recipient.signed": "Assinou", "recipient.validated": "Validou", "recipient.witnessed": "Testemunhou", "recipient.rejected": "Rejeitou",
      "recipient.added": "Participante incluído", "recipient.removed": "Participante removido", "recipient.reopened": "Pode agir de novo",
      "envelope.partially_signed": "Assinado parcialmente", "envelope.completed": "Envelope finalizado",
    } as Record<string, string>,
    moreEvents: (n: number) => `… e mais ${n} eventos (o histórico completo está no envelope).`,
    sealLevel: "Nível do selo",
    levels: {
      "B-B": "PAdES B-B (ETSI EN 319 142-1): selo digital sobre o documento e este manifesto; sem carimbo do tempo, a data é a declarada pelo servidor.",
      "B-T": "PAdES B-T (ETSI EN 319 142-1): selo digital com carimbo do tempo (RFC 3161) de uma autoridade de carimbo do tempo.",
      "B-LT": "PAdES B-LT (ETSI EN 319 142-1): selo com carimbo do tempo, mais os certificados e as listas de revogação para validá-lo no futuro.",
      "B-LTA": "PAdES B-LTA (ETSI EN 319 142-1): selo com carimbo do tempo, certificados e listas de revogação, cobertos por um carimbo do tempo do documento, renovável.",
    },
    levelNote: "Confira o nível e a validade no endereço de verificação acima.",
    legalBasis: "Base legal",
    legal: [
      "Medida Provisória 2.200-2/2001, art. 10, § 2º: meio de comprovação da autoria e da integridade de documento eletrônico sem certificado ICP-Brasil, válido quando admitido pelas partes ou aceito pela pessoa a quem for oposto o documento.",
      "Lei 14.063/2020, art. 4º: a assinatura registrada aqui é eletrônica simples (inciso I): identifica o participante por um código de uso único enviado ao seu e-mail. Sem certificado ICP-Brasil, não é qualificada (inciso III). Só será avançada (inciso II) se as partes admitirem este meio e ele estiver associado ao signatário de maneira unívoca e sob seu controle exclusivo, o que o código por e-mail, sozinho, não demonstra.",
      "A integridade é garantida pelo selo digital da instalação (PAdES), que torna detectável qualquer alteração posterior do documento e deste manifesto.",
    ],
  },
  en: {
    title: "Signature manifest",
    document: "Document",
    envelope: "Envelope",
    originalHash: "SHA-256 of the original document",
    verify: "Verify authenticity at",
    scanToVerify: "Scan to verify",
    recipients: "Participants",
    email: "E-mail",
    cpf: "CPF",
    actedAt: "Date and time",
    brasilia: "Brasília time",
    ip: "IP address",
    device: "Device",
    method: "Authentication",
    signature: "Signature",
    page: (n: number, total: number) => `Manifest page ${n} of ${total}`,
    footer: "This manifest is part of the document and was digitally sealed.",
    actions: {
      sign: "Signed",
      validate: "Validated",
      witness: "Witnessed",
      observe: "Acknowledged (observer)",
      sign_certificate: "Signed with a digital certificate",
    },
    methods: { email_code: "One-time code sent to the participant's e-mail", "e-mail code": "One-time code sent to the participant's e-mail" } as Record<string, string>,
    timeline: "Envelope timeline",
    timelineNote: "Brasília time and UTC, from the envelope's record.",
    events: {
      "envelope.created": "Envelope created", "envelope.sent": "Envelope sent", "envelope.pending": "Envelope sent",
      "recipient.invited": "Invitation sent", "recipient.invitation_resent": "Invitation resent", "recipient.reminded": "Reminder sent",
      "recipient.opened": "Link opened", "recipient.code_sent": "Code sent by e-mail",
      "recipient.signed": "Signed", "recipient.validated": "Approved", "recipient.witnessed": "Witnessed", "recipient.rejected": "Rejected",
      "recipient.added": "Participant added", "recipient.removed": "Participant removed", "recipient.reopened": "May act again",
      "envelope.partially_signed": "Partially signed", "envelope.completed": "Envelope completed",
    } as Record<string, string>,
    moreEvents: (n: number) => `… and ${n} more events (the full history is in the envelope).`,
    sealLevel: "Seal level",
    levels: {
      "B-B": "PAdES B-B (ETSI EN 319 142-1): a digital seal over the document and this manifest; with no time-stamp, the date is the one the server states.",
      "B-T": "PAdES B-T (ETSI EN 319 142-1): a digital seal with a time-stamp (RFC 3161) from a time-stamp authority.",
      "B-LT": "PAdES B-LT (ETSI EN 319 142-1): a time-stamped seal, plus the certificates and revocation lists to validate it in the future.",
      "B-LTA": "PAdES B-LTA (ETSI EN 319 142-1): a time-stamped seal, its certificates and revocation lists, covered by a renewable document time-stamp.",
    },
    levelNote: "Check the level and validity at the verification address above.",
    legalBasis: "Legal basis",
    legal: [
      "Provisional Measure 2.200-2/2001, art. 10, § 2: a means of proving the authorship and integrity of an electronic document without an ICP-Brasil certificate, valid when the parties admit it or the person it is held against accepts it.",
      "Law 14.063/2020, art. 4: the signature recorded here is a simple electronic signature (item I): it identifies the participant by a one-time code sent to their e-mail. With no ICP-Brasil certificate it is not qualified (item III). It is advanced (item II) only if the parties admit this means and it is linked to the signer uniquely and under their sole control, which an e-mail code alone does not show.",
      "Integrity is given by the installation's digital seal (PAdES), which makes any later change to the document and to this manifest detectable.",
    ],
  },
} as const;

export type ManifestLabels = (typeof LABELS)[ManifestLocale];
export const labelsFor = (locale: ManifestLocale | undefined): ManifestLabels => LABELS[locale ?? "pt-BR"];

const brazilTime = new Intl.DateTimeFormat("pt-BR", {
  timeZone: "America/Sao_Paulo",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "dd/mm/aaaa hh:mm:ss" in America/Sao_Paulo, the legal reference for the parties. */
export function formatBrasilia(date: Date): string {
  const parts = Object.fromEntries(brazilTime.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function formatCpf(cpf: string): string {
  const digits = cpf.replace(/\D/g, "");
  return digits.length === 11 ? `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}` : cpf;
}
