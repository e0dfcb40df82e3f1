import { brazilTimeZone, dateLocaleOf, dateTimeFormat } from "../../platform/i18n/formatters.js";
import type { Locale } from "../../platform/i18n/index.js";
import { formatBRL, formatCpfCnpj, formatDate, quantityColumnFormatter } from "../reports/format.js";
import type { RecordKind } from "../records/lifecycles.js";
import type { WebMessages } from "./messages.js";

/** Formatting for the pages: the reports' exact Brazilian formatting, bound to the page's locale. */
const pageDateTime: Record<Locale, Intl.DateTimeFormatOptions> = {
  "pt-BR": { timeZone: brazilTimeZone, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" },
  en: { timeZone: brazilTimeZone, day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
};

export function viewHelpers(locale: Locale, w: WebMessages) {
  const dateTime = dateTimeFormat(dateLocaleOf(locale), pageDateTime[locale]);
  return {
    money: (cents: number | null | undefined) => (cents == null ? "—" : formatBRL(cents, locale)),
    date: (iso: string | null | undefined) => (iso ? formatDate(iso, locale) : "—"),
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : "—"),
    doc: (document: string | null | undefined) => (document ? formatCpfCnpj(document) : "—"),
    /** One formatter per column, so decimals line up. */
    quantities: (values: number[]) => quantityColumnFormatter(values, locale),
    size: (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1).replace(".", locale === "en" ? "." : ",")} MB`),
    recordStatus: (kind: RecordKind, status: string) => statusLabel(w, kind, status),
    envelopeStatus: (status: string) => w.envelopeStatuses[status] ?? status,
    move: (kind: RecordKind, to: string) => (kind === "periods" ? w.periodMoves[to] : undefined) ?? w.moves[to] ?? to,
  };
}

export type ViewHelpers = ReturnType<typeof viewHelpers>;

export function statusLabel(w: WebMessages, kind: RecordKind, status: string): string {
  if (kind === "measurements" && w.statusesFeminine[status]) return w.statusesFeminine[status]!;
  if (kind === "periods" && w.periodStatuses[status]) return w.periodStatuses[status]!;
  return w.statuses[status] ?? status;
}

/** A CSS class per status family, so color is never the only cue (the label is always written). */
export function statusTone(status: string): string {
  if (["completed", "active", "applied", "released", "paid"].includes(status)) return "tone-ok";
  if (["rejected", "cancelled", "expired", "failed"].includes(status)) return "tone-bad";
  if (["pending", "partially_signed", "queued", "approved", "closed"].includes(status)) return "tone-wait";
  return "tone-neutral";
}
