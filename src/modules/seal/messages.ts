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
