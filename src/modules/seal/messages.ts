import { dateLocaleOf, dateTimeFormat } from "../../platform/i18n/formatters.js";
import type { Locale } from "../../platform/i18n/index.js";
import type { CertificateProblem } from "../../pades/seal/certificate-checks.js";

const utcDay: Intl.DateTimeFormatOptions = { timeZone: "UTC" };
const day = (iso: string, locale: Locale) => dateTimeFormat(dateLocaleOf(locale), utcDay).format(new Date(iso));

/** Why a certificate cannot seal, in the reader's language. */
export function certificateProblemText(problem: CertificateProblem, locale: Locale): string {
  const en = locale === "en";
  switch (problem.code) {
    case "expired":
      return en ? `The certificate expired on ${day(problem.notAfter, locale)}.` : `O certificado venceu em ${day(problem.notAfter, locale)}.`;
    case "not_yet_valid":
      return en ? `The certificate is not valid before ${day(problem.notBefore, locale)}.` : `O certificado só é válido a partir de ${day(problem.notBefore, locale)}.`;
    case "key_usage":
      return en
        ? "The certificate is not made for signing (its key usage lacks digitalSignature and nonRepudiation)."
        : "O certificado não é de assinatura (o uso da chave não inclui digitalSignature nem nonRepudiation).";
    case "weak_key":
      return en ? `The certificate's RSA key has ${problem.bits} bits; at least 2048 are required.` : `A chave RSA do certificado tem ${problem.bits} bits; o mínimo é 2048.`;
    case "chain_incomplete":
      return en
        ? `The certificate chain is incomplete: the issuer "${problem.issuer}" is missing. Include the intermediate certificates in the .pfx or send them as PEM in the part "chain".`
        : `A cadeia do certificado está incompleta: falta o emissor "${problem.issuer}". Inclua as certificadoras intermediárias no .pfx ou envie-as em PEM no campo "chain".`;
    case "issuer_expired":
      return en ? `The issuer "${problem.subject}" expired on ${day(problem.notAfter, locale)}.` : `A certificadora "${problem.subject}" venceu em ${day(problem.notAfter, locale)}.`;
    case "not_a_ca":
      return en ? `"${problem.subject}" is not a certification authority.` : `"${problem.subject}" não é uma autoridade certificadora.`;
  }
}

export const anchorMessages = (locale: Locale) =>
  locale === "en"
    ? {
        notCertificate: "certificate: not a PEM or DER certificate",
        notCa: (subject: string) => `certificate: "${subject}" is not a certification authority; only CA certificates can be trust anchors`,
        expired: (subject: string) => `certificate: "${subject}" has expired`,
      }
    : {
        notCertificate: "certificate: não é um certificado PEM ou DER",
        notCa: (subject: string) => `certificate: "${subject}" não é uma autoridade certificadora; só certificados de AC podem ser âncoras de confiança`,
        expired: (subject: string) => `certificate: "${subject}" está vencido`,
      };

const sealPagePt = {
  title: "Certificado do selo",
  intro: "O selo da instalação fecha cada documento assinado. Aqui se vê qual certificado sela, instala-se um certificado A1 (.pfx) da empresa e escolhem-se as âncoras de confiança da verificação.",
  current: "Certificado em uso",
  source: "Origem",
  sources: { generated: "Gerado pela instalação (AC própria)", pfx: "Certificado instalado (.pfx)" } as Record<string, string>,
  subject: "Titular",
  issuer: "Emissor",
  validity: "Validade",
  validRange: "de {from} até {to}",
  chain: "Cadeia",
  level: "Nível das assinaturas",
  levels: {
    "B-LTA": "PAdES B-LTA (com carimbo do tempo, dados de revogação e carimbo de arquivo)",
    "B-B": "PAdES B-B (sem carimbo do tempo: configure OBRASIGN_TSA_URL para chegar a B-LTA)",
  } as Record<string, string>,
  fingerprint: "Impressão digital (SHA-256)",
  install: "Instalar um certificado A1 (.pfx)",
  installHint: "O certificado precisa estar válido, ser de assinatura, ter chave RSA de 2048 bits ou mais e a cadeia completa (no arquivo, nas intermediárias abaixo ou nas âncoras de confiança).",
  file: "Arquivo .pfx ou .p12",
  password: "Senha do certificado",
  chainFiles: "Certificadoras intermediárias (PEM, opcional)",
  installButton: "Instalar certificado",
  installed: "Certificado instalado: {subject}. Os próximos documentos serão selados com ele; os selos anteriores continuam verificáveis.",
  anchors: "Âncoras de confiança",
  anchorsIntro: "Certificados de AC aos quais a verificação encadeia assinaturas e carimbos do tempo (as raízes da ICP-Brasil, a AC de um carimbador), além da AC da instalação.",
  noAnchors: "Nenhuma âncora de confiança cadastrada.",
  purpose: "Motivo",
  purposes: { uploaded: "Adicionada por um administrador", pfx: "Raiz de um certificado instalado", tsa: "AC do carimbo do tempo" } as Record<string, string>,
  validTo: "Válido até",
  actions: "Ações",
  remove: "Remover",
  confirmRemove: "Deixar de confiar nesta AC? Assinaturas encadeadas a ela passam a ser consideradas não confiáveis.",
  removed: "Âncora de confiança removida.",
  addAnchor: "Adicionar âncoras de confiança",
  anchorFile: "Certificado da AC (PEM com um ou mais certificados, ou DER)",
  addButton: "Adicionar",
  added: "Âncoras adicionadas: {subjects}.",
  fixErrors: "Corrija os campos indicados.",
  fileRequired: "Escolha o arquivo do certificado.",
  anchorNotFound: "Âncora de confiança não encontrada.",
};

const sealPageEn: typeof sealPagePt = {
  title: "Seal certificate",
  intro: "The installation's seal closes every signed document. Here you see which certificate seals, install the company's A1 certificate (.pfx) and choose the trust anchors verification relies on.",
  current: "Certificate in use",
  source: "Source",
  sources: { generated: "Generated by the installation (its own CA)", pfx: "Installed certificate (.pfx)" },
  subject: "Subject",
  issuer: "Issuer",
  validity: "Validity",
  validRange: "from {from} to {to}",
  chain: "Chain",
  level: "Signature level",
  levels: {
    "B-LTA": "PAdES B-LTA (with time-stamp, revocation data and archive time-stamp)",
    "B-B": "PAdES B-B (no time-stamp: set OBRASIGN_TSA_URL to reach B-LTA)",
  },
  fingerprint: "Fingerprint (SHA-256)",
  install: "Install an A1 certificate (.pfx)",
  installHint: "The certificate must be valid now, made for signing, hold an RSA key of 2048 bits or more and come with its whole chain (in the file, in the intermediates below or among the trust anchors).",
  file: ".pfx or .p12 file",
  password: "Certificate password",
  chainFiles: "Intermediate authorities (PEM, optional)",
  installButton: "Install certificate",
  installed: "Certificate installed: {subject}. Documents are sealed with it from now on; earlier seals stay verifiable.",
  anchors: "Trust anchors",
  anchorsIntro: "CA certificates verification chains signatures and time-stamps to (the ICP-Brasil roots, a time-stamp authority's CA), besides the installation's own CA.",
  noAnchors: "No trust anchors yet.",
  purpose: "Why",
  purposes: { uploaded: "Added by an administrator", pfx: "Root of an installed certificate", tsa: "Time-stamp authority's CA" },
  validTo: "Valid until",
  actions: "Actions",
  remove: "Remove",
  confirmRemove: "Stop trusting this CA? Signatures chained to it will be reported as untrusted.",
  removed: "Trust anchor removed.",
  addAnchor: "Add trust anchors",
  anchorFile: "CA certificate (PEM with one or more certificates, or DER)",
  addButton: "Add",
  added: "Anchors added: {subjects}.",
  fixErrors: "Fix the fields marked below.",
  fileRequired: "Choose the certificate file.",
  anchorNotFound: "Trust anchor not found.",
};

/** The `/settings/seal` page's words. */
export const sealPageMessages = (locale: Locale) => (locale === "en" ? sealPageEn : sealPagePt);
