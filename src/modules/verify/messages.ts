import type { Locale } from "../../platform/i18n/index.js";

const ptBR = {
  title: "Verificar documento assinado",
  intro: "Envie um PDF assinado pelo obrasign para conferir se ele está íntegro e quem o assinou.",
  file: "Arquivo PDF",
  submit: "Verificar",
  valid: "Documento válido: íntegro desde a assinatura.",
  invalid: "Documento inválido: foi alterado depois de assinado, ou não tem assinatura.",
  signer: "Assinante",
  signedAt: "Assinado em",
  integrity: "Integridade",
  trusted: "Cadeia confiável",
  installation: "Selo desta instalação",
  envelope: "Envelope",
  yes: "Sim",
  no: "Não",
  none: "Nenhuma assinatura encontrada.",
  hint: "Documento do envelope",
};
const en: typeof ptBR = {
  title: "Verify a signed document",
  intro: "Upload a PDF signed by obrasign to check that it is intact and who signed it.",
  file: "PDF file",
  submit: "Verify",
  valid: "Valid document: intact since it was signed.",
  invalid: "Invalid document: changed after signing, or not signed.",
  signer: "Signer",
  signedAt: "Signed at",
  integrity: "Integrity",
  trusted: "Trusted chain",
  installation: "This installation's seal",
  envelope: "Envelope",
  yes: "Yes",
  no: "No",
  none: "No signature found.",
  hint: "Document of envelope",
};
export const verifyMessages = (locale: Locale) => (locale === "en" ? en : ptBR);
