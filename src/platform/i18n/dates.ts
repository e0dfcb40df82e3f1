import type { Locale } from "./index.js";

/** A moment as the reader reads it, in Brasília time (the installation's users are in Brazil). */
export function formatMoment(locale: Locale, iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(locale === "en" ? "en-GB" : "pt-BR", { timeZone: "America/Sao_Paulo", dateStyle: "short", timeStyle: "short" });
}
