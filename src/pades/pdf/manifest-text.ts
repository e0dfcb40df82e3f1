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
    methods: { "e-mail code": "Código de uso único enviado por e-mail" } as Record<string, string>,
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
    methods: { "e-mail code": "One-time code sent by e-mail" } as Record<string, string>,
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
