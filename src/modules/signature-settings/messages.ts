import { brazilTimeZone, dateLocaleOf, dateTimeFormat } from "../../platform/i18n/formatters.js";
import type { Locale } from "../../platform/i18n/index.js";

/**
 * The strings of the signature-settings and TAE-account pages. Kept beside
 * the module rather than in the shared dictionaries, which many hands edit.
 */
const ptBR = {
  settingsTitle: "Integração com TOTVS Sign",
  settingsIntro: "Configurações globais de assinatura eletrônica desta instalação.",
  companyLink: "Nome e logotipo da empresa nos e-mails e na página de assinatura",
  providerLegend: "Provedor de assinatura",
  providerLabels: { embedded: "Assinatura embutida do obrasign", "totvs-sign": "TOTVS Assinatura Eletrônica (TOTVS Sign)" },
  authUrl: "URL de autenticação",
  apiUrl: "URL da API de integração",
  webLoginUrl: "URL de login via formulário web",
  serviceUser: "Usuário de serviço",
  serviceUserHint: "E-mail do usuário do TAE usado no envio automático e na atualização das situações.",
  servicePassword: "Senha do usuário de serviço",
  passwordSet: "definida",
  passwordNotSet: "não definida",
  passwordHint: "Deixe em branco para manter a senha atual.",
  clearPassword: "Apagar a senha salva",
  companyCnpj: "CNPJ da empresa licenciada",
  companyCnpjHint: "Enviado ao TAE ao cadastrar um usuário (cnpjLicensedCompany): só usuários ligados à empresa licenciada podem publicar.",
  signerRoles: "Papel do assinante por ação",
  signerRolesHint: "O papelAssinante enviado ao TAE para cada ação, como na lista do próprio TAE (por exemplo “como assinante”). Em branco, vale o padrão mostrado.",
  signerRoleLabels: { sign: "Assinar", validate: "Validar", witness: "Testemunhar", sign_certificate: "Assinar com certificado digital" } as Record<string, string>,
  refreshStatusOnLoad: "Atualizar situação das assinaturas dos documentos ao carregar visão",
  refreshStatusOnLoadHint: "Quando marcado, a visão de monitoramento consulta o provedor pelos documentos pendentes ao abrir; senão, a situação é atualizada por um processo iniciado na visão.",
  save: "Salvar",
  saved: "Configurações salvas.",
  readOnly: "Somente administradores podem alterar estas configurações.",
  testConnection: "Testar conexão",
  testHint: "Testa as configurações salvas: entra no TAE com o usuário de serviço.",
  testOk: "Conexão bem-sucedida",
  testFailed: "Falha na conexão",
  embeddedNoConnection: "O provedor embutido não precisa de conexão.",
  connectedAs: "Conectado ao TOTVS Sign como {user}.",
  connectedAsNotInUse: "Conectado ao TOTVS Sign como {user} (o provedor em uso é o embutido).",
  notConfigured: "Informe o usuário e a senha de serviço do TOTVS Sign.",
  fixErrors: "Corrija os campos indicados.",
  forbidden: "Você não tem permissão para ver esta página.",
  // the author's TAE account
  accountTitle: "Conectar ao TOTVS Assinatura Eletrônica",
  accountIntro: "Para enviar documentos manualmente como autor pelo TOTVS Sign, entre com sua conta do TAE. A conexão vale até o token expirar (no máximo 12 horas).",
  accountEmail: "E-mail no TAE",
  accountPassword: "Senha do TAE",
  connect: "Conectar",
  disconnect: "Desconectar",
  connectedUntil: "Conectado como {email} até {until}.",
  notConnected: "Você não está conectado ao TAE: os envios usarão o usuário de serviço.",
  justConnected: "Conta do TAE conectada.",
  justDisconnected: "Conta do TAE desconectada.",
  noTaeAccount: "O e-mail {email} não tem conta no TAE.",
  hasTaeAccount: "O e-mail {email} tem conta no TAE.",
  accountCheckFailed: "Não foi possível verificar a conta no TAE: {message}",
  createTaeAccount: "Criar conta no TAE",
  createdTaeAccount: "Conta criada no TAE para {email}. Confirme pelo e-mail enviado pelo TAE e defina sua senha.",
  alreadyHadTaeAccount: "O e-mail {email} já tinha conta no TAE.",
  openInTae: "Abrir no TAE",
  providerIsEmbedded: "O provedor em uso é a assinatura embutida; a conta do TAE só é usada quando o provedor for o TOTVS Sign.",
  cannotSend: "Seu perfil não envia documentos para assinatura.",
};

export type SignatureMessages = typeof ptBR;

const en: SignatureMessages = {
  settingsTitle: "TOTVS Sign integration",
  settingsIntro: "Global electronic signature settings of this installation.",
  companyLink: "The company's name and logo in mails and on the signing page",
  providerLegend: "Signature provider",
  providerLabels: { embedded: "obrasign built-in signing", "totvs-sign": "TOTVS Assinatura Eletrônica (TOTVS Sign)" },
  authUrl: "Authentication URL",
  apiUrl: "Integration API URL",
  webLoginUrl: "Web form login URL",
  serviceUser: "Service user",
  serviceUserHint: "E-mail of the TAE user for automatic sending and status refresh.",
  servicePassword: "Service user password",
  passwordSet: "set",
  passwordNotSet: "not set",
  passwordHint: "Leave blank to keep the current password.",
  clearPassword: "Delete the saved password",
  companyCnpj: "Licensed company's CNPJ",
  companyCnpjHint: "Sent to TAE when registering a user (cnpjLicensedCompany): only users tied to the licensed company may publish.",
  signerRoles: "Signer role per action",
  signerRolesHint: "The papelAssinante sent to TAE for each action, as in TAE's own list (e.g. “como assinante”). Left blank, the default shown applies.",
  signerRoleLabels: { sign: "Sign", validate: "Validate", witness: "Witness", sign_certificate: "Sign with a digital certificate" } as Record<string, string>,
  refreshStatusOnLoad: "Refresh the signature status of documents when the view loads",
  refreshStatusOnLoadHint: "When checked, opening the monitoring view asks the provider about pending documents; otherwise statuses are refreshed by a process started from the view.",
  save: "Save",
  saved: "Settings saved.",
  readOnly: "Only administrators may change these settings.",
  testConnection: "Test connection",
  testHint: "Tests the saved settings: signs in to TAE as the service user.",
  testOk: "Connection succeeded",
  testFailed: "Connection failed",
  embeddedNoConnection: "The built-in provider needs no connection.",
  connectedAs: "Connected to TOTVS Sign as {user}.",
  connectedAsNotInUse: "Connected to TOTVS Sign as {user} (the provider in use is the built-in one).",
  notConfigured: "Enter the TOTVS Sign service user and password.",
  fixErrors: "Correct the fields shown.",
  forbidden: "You may not see this page.",
  accountTitle: "Connect to TOTVS Assinatura Eletrônica",
  accountIntro: "To send documents by hand as their author through TOTVS Sign, sign in with your TAE account. The connection lasts until its token expires (12 hours at most).",
  accountEmail: "TAE e-mail",
  accountPassword: "TAE password",
  connect: "Connect",
  disconnect: "Disconnect",
  connectedUntil: "Connected as {email} until {until}.",
  notConnected: "You are not connected to TAE: sending will use the service user.",
  justConnected: "TAE account connected.",
  justDisconnected: "TAE account disconnected.",
  noTaeAccount: "The e-mail {email} has no TAE account.",
  hasTaeAccount: "The e-mail {email} has a TAE account.",
  accountCheckFailed: "Could not check the TAE account: {message}",
  createTaeAccount: "Create a TAE account",
  createdTaeAccount: "TAE account created for {email}. Confirm it through TAE's e-mail and set your password.",
  alreadyHadTaeAccount: "The e-mail {email} already had a TAE account.",
  openInTae: "Open in TAE",
  providerIsEmbedded: "The provider in use is built-in signing; the TAE account is used only when the provider is TOTVS Sign.",
  cannotSend: "Your role does not send documents for signature.",
};

export function signatureMessages(locale: Locale): SignatureMessages {
  return locale === "en" ? en : ptBR;
}

/** Date and time the Brazilian way on screen (28/11/2026 23:00), in Brasília time. */
const shortDateTime: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short", timeZone: brazilTimeZone };

export function formatDateTime(date: Date, locale: Locale): string {
  return dateTimeFormat(dateLocaleOf(locale), shortDateTime).format(date);
}
