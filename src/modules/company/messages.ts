import type { Locale } from "../../platform/i18n/index.js";

const ptBR = {
  title: "Empresa",
  intro: "O nome e o logotipo da empresa aparecem nos e-mails enviados aos destinatários e na página de assinatura.",
  name: "Nome da empresa",
  logo: "Logotipo (PNG ou JPEG, até 200 KB)",
  currentLogo: "Logotipo atual",
  removeLogo: "Remover o logotipo",
  save: "Salvar",
  saved: "Dados da empresa salvos.",
  readOnly: "Somente administradores alteram estes dados.",
  fixErrors: "Corrija os campos indicados.",
  forbidden: "Seu perfil não permite ver esta página.",
};

const en: typeof ptBR = {
  title: "Company",
  intro: "The company's name and logo head the mails sent to recipients and the signing page.",
  name: "Company name",
  logo: "Logo (PNG or JPEG, up to 200 KB)",
  currentLogo: "Current logo",
  removeLogo: "Remove the logo",
  save: "Save",
  saved: "Company details saved.",
  readOnly: "Only administrators change these details.",
  fixErrors: "Fix the fields marked below.",
  forbidden: "Your role may not see this page.",
};

export const companyMessages = (locale: Locale) => (locale === "en" ? en : ptBR);
