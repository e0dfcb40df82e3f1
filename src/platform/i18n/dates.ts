import { brazilTimeZone, dateLocaleOf, dateTimeFormat } from "./formatters.js";
import type { Locale } from "./index.js";

const momentOptions: Intl.DateTimeFormatOptions = { timeZone: brazilTimeZone, dateStyle: "short", timeStyle: "short" };

/**
 * A moment as the reader reads it, in Brasília time (the installation's users are in Brazil).
 * Through the cached formatter: `toLocaleString` builds a new one on every call.
 */
export function formatMoment(locale: Locale, iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateTimeFormat(dateLocaleOf(locale), momentOptions).format(new Date(iso));
}
