import type { Locale } from "./index.js";
import { fill } from "./text.js";

/**
 * The validation phrases that schemas and commands write in English beside a
 * field ("is required", "must be one of {list}"), with their Portuguese. Schemas
 * keep English words because the API's default language is English; the
 * answer to a Portuguese reader goes through here. `{x}` matches any text,
 * itself translated when it is a phrase of this list.
 */
export const phrases: Record<string, string> = {
  "is required": "é obrigatório",
  "is too long": "é longo demais",
  "is too large": "é grande demais",
  "invalid": "inválido",
  "unknown field": "campo desconhecido",
  "unknown status": "situação desconhecida",
  "must be an integer number of cents": "deve ser um número inteiro de centavos",
  "must be a whole number of days": "deve ser um número inteiro de dias",
  "must be a whole number of days or null": "deve ser um número inteiro de dias ou vazio",
  "must be a list": "deve ser uma lista",
  "must be true or false": "deve ser verdadeiro ou falso",
  "must be the 6-digit code sent by e-mail": "deve ser o código de 6 dígitos enviado por e-mail",
  "must be more than 0": "deve ser maior que 0",
  "must be from 1 to 60, or null": "deve estar entre 1 e 60, ou vazio",
  "must be from 1 to 365": "deve estar entre 1 e 365",
  "must be an id": "deve ser um identificador",
  "must be a whole number from 1 to 100": "deve ser um número inteiro de 1 a 100",
  "must be a valid e-mail address": "deve ser um endereço de e-mail válido",
  "must be a text": "deve ser um texto",
  "must be a text or null": "deve ser um texto ou vazio",
  "must be a number": "deve ser um número",
  "must be 0 or more": "deve ser 0 ou mais",
  "must be 1 or more": "deve ser 1 ou mais",
  "must be 100 or less": "deve ser 100 ou menos",
  "may have at most 4 decimal places": "aceita no máximo 4 casas decimais",
  "must be one of {list}": "deve ser um destes: {list}",
  "must be one of: {list}": "deve ser um destes: {list}",
  "must be among {list}": "deve estar entre: {list}",
  "must be at most {max} characters": "deve ter no máximo {max} caracteres",
  "must be a single value for {op} (lists go with in, not_in)": "deve ser um único valor para {op} (listas só com in, not_in)",
  "must be a list for {op}": "deve ser uma lista para {op}",
  "may list at most {n} values": "aceita no máximo {n} valores",
  "every item {problem}": "cada item {problem}",
  "appears twice in this envelope (also recipient {n})": "aparece duas vezes neste envelope (também no destinatário {n})",
  "{label} appears twice": "{label} aparece duas vezes",
  "{field} compares only with eq, ne, in, not_in": "{field} só se compara com eq, ne, in, not_in",
  "you must agree to sign electronically": "é preciso concordar em assinar eletronicamente",
  "this user already has this role in the list": "este usuário já tem este papel na lista",
  "tell the sender why (at least 3 characters)": "diga ao remetente o motivo (ao menos 3 caracteres)",
  "source must be one of party_contact, project_user, email": "a origem deve ser contato da parte, usuário do projeto ou e-mail",
  "must not be empty (omit it to keep the current one)": "não pode ficar vazio (deixe de fora para manter o atual)",
  "must list at least one value": "deve listar ao menos um valor",
  "must list at least one envelope (or leave ids out for all pending)": "deve listar ao menos um envelope (ou nenhum, para todos os pendentes)",
  "must include at least one recipient who signs (action sign or sign_certificate)": "precisa de ao menos um destinatário que assine",
  "must have at least one line": "precisa de ao menos uma linha",
  "must have at least 16 characters": "precisa de ao menos 16 caracteres",
  "must have at least 10 characters": "precisa de ao menos 10 caracteres",
  "must be on or after startDate": "deve ser igual ou posterior ao início",
  "must be on or after the contract's startDate": "deve ser igual ou posterior ao início do contrato",
  "must be manual or automatic": "deve ser manual ou automático",
  "must be an e-mail address (the TAE login)": "deve ser um endereço de e-mail (o login do TAE)",
  "must be an ISO date or date-time": "deve ser uma data ou data e hora ISO",
  "must be a valid CPF or CNPJ (check digits)": "deve ser um CPF ou CNPJ válido (dígitos verificadores)",
  "must be a valid CPF (11 digits with check digits)": "deve ser um CPF válido (11 dígitos com verificadores)",
  "must be a real calendar date": "deve ser uma data que existe no calendário",
  "must be a list of events": "deve ser uma lista de eventos",
  "must be a date as YYYY-MM-DD": "deve ser uma data (AAAA-MM-DD)",
  "may have at most 50 rules": "aceita no máximo 50 regras",
  "may have at most 200 members": "aceita no máximo 200 membros",
  "may have at most 20 criteria": "aceita no máximo 20 critérios",
  "choose at least one event": "escolha ao menos um evento",
  "a typed signature has at most 200 characters": "a assinatura digitada tem no máximo 200 caracteres",
  "a period has no amount of its own: use contract.totalCents": "um período não tem valor próprio: use o valor do contrato",
  "a drawn signature must be a PNG data URL": "a assinatura desenhada deve ser uma imagem PNG",
  "already in use": "já está em uso",
  "already in use in this contract": "já está em uso neste contrato",
  "already in use in this project": "já está em uso neste projeto",
  "not an item of this contract": "não é um item deste contrato",
  "no such record": "registro inexistente",
  "belongs to another contract": "pertence a outro contrato",
  "is required for a term amendment": "é obrigatório num aditivo de prazo",
  "at least one PDF is required": "é preciso ao menos um PDF",
  "ask for a code first": "peça um código primeiro",
  "expired: ask for a new one": "expirou: peça um novo",
  "too many wrong tries: ask for a new one": "tentativas demais: peça um novo",
  "wrong code": "código incorreto",
  "unknown user": "usuário desconhecido",
  "no such party": "parte inexistente",
  "no such project": "projeto inexistente",
  "must be an absolute URL (https://…)": "deve ser um endereço completo (https://…)",
  "must use https (or http)": "deve usar https (ou http)",
  "must use https": "deve usar https",
  "must not carry a user name or password": "não pode conter usuário nem senha",
  "must name a host": "deve indicar um servidor",
  "must not point to a private, loopback or link-local address": "não pode apontar para um endereço privado, local ou de loopback",
  "the host name does not resolve": "o nome do servidor não existe no DNS",
  "resolves to a private, loopback or link-local address": "aponta para um endereço privado, local ou de loopback",
  "url: {problem}": "endereço: {problem}",
  "must be a Brazilian phone: DDD and number, e.g. (11) 98765-4321": "deve ser um telefone brasileiro: DDD e número, por exemplo (11) 98765-4321",
  "is required to notify by {channel}": "é obrigatório para avisar por {channel}",
  "must be email: the built-in provider notifies by e-mail only": "deve ser email: a assinatura embutida avisa só por e-mail",
  // Whole messages of commands that name what they did not find.
  "API token not found": "Token de API não encontrado.",
  "Delivery not found": "Entrega não encontrada.",
  "Envelope not found": "Envelope não encontrado.",
  "Job not found": "Tarefa não encontrada.",
  "Project not found": "Projeto não encontrado.",
  "User not found": "Usuário não encontrado.",
  "Webhook not found": "Webhook não encontrado.",
  "Recipient not found in this envelope": "Destinatário não encontrado neste envelope.",
  "Authentication required": "É preciso entrar.",
  "E-mail or password is wrong": "E-mail ou senha incorretos.",
  "You cannot disable yourself or drop your own admin role": "Você não pode desativar a si mesmo nem tirar seu próprio papel de administrador.",
  "No such page": "Página inexistente.",
  "The envelope changed at the same time; read it again": "O envelope foi alterado ao mesmo tempo; recarregue a página.",
  "Your role may not do this ({permission})": "Seu papel não permite esta ação ({permission}).",
  "Could not open the certificate file: wrong password or not a .pfx/.p12 file.": "Não foi possível abrir o arquivo do certificado: senha errada ou não é um arquivo .pfx/.p12.",
  "The certificate file holds no private key.": "O arquivo do certificado não contém a chave privada.",
  "Trust anchor not found": "Âncora de confiança não encontrada.",
};

type Pattern = { regex: RegExp; names: string[]; pt: string };
const patterns: Pattern[] = Object.entries(phrases)
  .filter(([en]) => en.includes("{"))
  .map(([en, pt]) => {
    const names: string[] = [];
    const source = en.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return "(.+?)";
    });
    return { regex: new RegExp(`^${source}$`), names, pt };
  });

/** The phrase in the reader's language; English, or a phrase not in the list, comes back as it is. */
export function translatePhrase(text: string, locale: Locale, depth = 0): string {
  if (locale === "en") return text;
  const exact = phrases[text];
  if (exact && !exact.includes("{")) return exact;
  for (const p of patterns) {
    const match = p.regex.exec(text);
    if (!match) continue;
    const values = Object.fromEntries(p.names.map((n, i) => [n, depth < 2 ? translatePhrase(match[i + 1]!, locale, depth + 1) : match[i + 1]!]));
    return fill(p.pt, values);
  }
  return text;
}
