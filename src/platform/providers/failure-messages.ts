/**
 * The provider failures a user must understand (ProviderFailureCode), in
 * each language. A failure is stored as its code and values (envelopes'
 * failure_code/failure_values), so it is read in the reader's language
 * however long after it happened.
 */
import type { Locale } from "../i18n/index.js";
import { catalogue, fill, type Text } from "../i18n/text.js";
import type { ProviderFailureCode } from "./port.js";

export const providerFailures = catalogue<ProviderFailureCode>(
  {
    unknown_status: "O TOTVS Assinatura Eletrônica respondeu uma situação de documento desconhecida ({code}); o documento não é atualizado até que isso seja verificado.",
    firewall_blocked: "Arquivo bloqueado pelo firewall do TOTVS Assinatura Eletrônica. Tentar de novo não resolve: revise o arquivo (por exemplo, gere o PDF novamente, sem anexos ou scripts) ou fale com o suporte da TOTVS.",
    permission_denied: "A conta usada no TOTVS Assinatura Eletrônica não tem a permissão para {permission}. Peça ao administrador da empresa no TAE que a conceda.",
    login_refused: "O TOTVS Assinatura Eletrônica recusou o login: {message}",
    session_expired: "Sua sessão no TOTVS Assinatura Eletrônica expirou: conecte-se ao TAE de novo.",
    signed_file_invalid: "O arquivo assinado recebido do TOTVS Assinatura Eletrônica não pôde ser aceito: {reason}",
    resend_refused: "O TOTVS Assinatura Eletrônica só reenvia o aviso de documentos pendentes a quem ainda deve agir: {reason}",
    not_found: "O documento não existe mais no TOTVS Assinatura Eletrônica.",
    redirect_refused: "O endereço do TOTVS Assinatura Eletrônica ({host}) respondeu com um redirecionamento (HTTP {status}), que o obrasign não segue: confira as URLs nas configurações de assinatura.",
    address_refused: "O endereço configurado para o TOTVS Assinatura Eletrônica ({host}) é privado, local ou sem https, e esta instalação não permite isso (OBRASIGN_PROVIDERS_ALLOW_PRIVATE).",
  },
  {
    unknown_status: "TOTVS Assinatura Eletrônica answered an unknown document status ({code}); the document is not updated until this is checked.",
    firewall_blocked: "File blocked by the TOTVS Assinatura Eletrônica firewall. Trying again will not help: check the file (e.g. export the PDF again, without attachments or scripts) or contact TOTVS support.",
    permission_denied: "The account used at TOTVS Assinatura Eletrônica lacks the permission to {permission}. Ask the company's TAE administrator to grant it.",
    login_refused: "TOTVS Assinatura Eletrônica refused the login: {message}",
    session_expired: "Your TOTVS Assinatura Eletrônica session has expired: connect to TAE again.",
    signed_file_invalid: "The signed file from TOTVS Assinatura Eletrônica could not be accepted: {reason}",
    resend_refused: "TOTVS Assinatura Eletrônica resends the notification only for pending documents, to whoever still has to act: {reason}",
    not_found: "The document no longer exists at TOTVS Assinatura Eletrônica.",
    redirect_refused: "The TOTVS Assinatura Eletrônica address ({host}) answered a redirect (HTTP {status}), which obrasign does not follow: check the URLs in the signature settings.",
    address_refused: "The address configured for TOTVS Assinatura Eletrônica ({host}) is private, loopback or without https, and this installation does not allow it (OBRASIGN_PROVIDERS_ALLOW_PRIVATE).",
  },
);

/** What each TAE operation needs permission for, as the permission message names it. */
export const providerPermissions = catalogue(
  {
    upload: "enviar documentos", publish: "publicar documentos para assinatura", cancel: "cancelar documentos", "delete document": "excluir documentos",
    status: "consultar documentos", download: "baixar documentos", "add recipient": "incluir destinatários", "remove recipient": "remover destinatários",
    resend: "reenviar avisos", "register user": "cadastrar usuários", "user lookup": "consultar usuários", search: "pesquisar documentos", other: "esta operação",
  },
  {
    upload: "upload documents", publish: "publish documents for signature", cancel: "cancel documents", "delete document": "delete documents",
    status: "read documents", download: "download documents", "add recipient": "add recipients", "remove recipient": "remove recipients",
    resend: "resend notifications", "register user": "register users", "user lookup": "look users up", search: "search documents", other: "this operation",
  },
);

/** Reasons a resend is refused, filled into resend_refused. */
export const resendReasons = catalogue(
  {
    not_pending: "o documento não está pendente (situação {status}).",
    recipient_not_pending: "{email} não está entre os pendentes do documento.",
  },
  {
    not_pending: "the document is not pending (status {status}).",
    recipient_not_pending: "{email} is not among the document's pending recipients.",
  },
);

/** Why a signed file was not accepted, filled into signed_file_invalid ({host}: scheme and host only, never the URL's query). */
export const signedFileReasons = catalogue(
  {
    not_pdf: "o arquivo recebido não é um PDF.",
    url_refused: "o TAE indicou um endereço de onde o obrasign não busca arquivos ({host}); só https ou o próprio servidor da API.",
    unreachable: "{host} não respondeu.",
    timeout: "{host} não respondeu em {ms} ms.",
    redirect: "{host} respondeu com um redirecionamento (HTTP {status}), que o obrasign não segue.",
    http: "{host} respondeu HTTP {status}.",
    too_large: "o arquivo em {host} passa de {max} bytes.",
    broke_off: "a resposta de {host} foi interrompida.",
  },
  {
    not_pdf: "the file received is not a PDF.",
    url_refused: "TAE gave a file URL obrasign does not fetch ({host}); only https or the API host itself.",
    unreachable: "{host} did not answer.",
    timeout: "{host} did not answer within {ms} ms.",
    redirect: "{host} answered a redirect (HTTP {status}), which obrasign does not follow.",
    http: "{host} answered HTTP {status}.",
    too_large: "the file at {host} is larger than {max} bytes.",
    broke_off: "the answer from {host} broke off.",
  },
);

type Values = Record<string, string>;

const isCode = (code: string): code is ProviderFailureCode => code in providerFailures.en;

/** A stored failure in both languages; null for a code this version does not know (the stored text is shown then). */
export function providerFailureText(code: string | null | undefined, values: Values = {}): Text | null {
  if (!code || !isCode(code)) return null;
  const pick = (locale: Locale) => {
    const filled: Values = { ...values };
    if (code === "permission_denied") {
      const op = values.operation ?? "other";
      const labels = locale === "en" ? providerPermissions.en : providerPermissions.ptBR;
      filled.permission = (labels as Values)[op.replace(/^download .*/, "download")] ?? labels.other;
    }
    if (code === "resend_refused" && values.reason) {
      const reasons = (locale === "en" ? resendReasons.en : resendReasons.ptBR) as Values;
      filled.reason = reasons[values.reason] ? fill(reasons[values.reason]!, values) : values.reason;
    }
    if (code === "signed_file_invalid") {
      // Failures stored before the reasons existed carry none: they were all "not a PDF".
      const reasons = (locale === "en" ? signedFileReasons.en : signedFileReasons.ptBR) as Values;
      filled.reason = fill(reasons[values.reason ?? "not_pdf"] ?? reasons.not_pdf!, values);
    }
    return fill((locale === "en" ? providerFailures.en : providerFailures.ptBR)[code], filled);
  };
  return { "pt-BR": pick("pt-BR"), en: pick("en") };
}
