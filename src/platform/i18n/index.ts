import type { FastifyRequest } from "fastify";
import { en } from "./en.js";
import { ptBR } from "./pt-BR.js";

export type Locale = "pt-BR" | "en";
export type Messages = typeof ptBR;
const dictionaries: Record<Locale, Messages> = { "pt-BR": ptBR, en };

/** pt-BR first; English when the reader chose it (the header's switch, then their account) or the browser prefers it. */
export function localeOf(request: FastifyRequest): Locale {
  const chosen = request.cookies?.lang;
  if (chosen === "en" || chosen === "pt-BR") return chosen;
  const account = request.actor?.kind === "user" ? request.actor.locale : null;
  if (account) return account;
  const accept = String(request.headers["accept-language"] ?? "").toLowerCase();
  const first = accept.split(",")[0]?.trim() ?? "";
  return first.startsWith("en") ? "en" : "pt-BR";
}

export function messages(locale: Locale): Messages {
  return dictionaries[locale];
}

/** Replaces {name} placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}
