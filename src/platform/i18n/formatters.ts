/**
 * Intl formatters, built once per locale and options and kept for the
 * process. Building an `Intl.DateTimeFormat` or `NumberFormat` costs tens of
 * microseconds and a few kilobytes that the collector reclaims late; a page
 * that showed a date per row built hundreds per request (the monitor answered
 * ~190 requests/s and grew to 2.5 GB that way).
 *
 * Pass options as a module-level constant: the cache is keyed by the options
 * object itself, so a lookup is two map reads.
 *
 *   const shortDateTime = { dateStyle: "short", timeStyle: "short", timeZone: "America/Sao_Paulo" } as const;
 *   dateTimeFormat(locale, shortDateTime).format(new Date(iso));
 */
type Cache<F> = WeakMap<object, Map<string, F>>;

function cached<O extends object, F>(cache: Cache<F>, make: (locale: string, options: O) => F, locale: string, options: O): F {
  let byLocale = cache.get(options);
  if (!byLocale) cache.set(options, (byLocale = new Map()));
  let formatter = byLocale.get(locale);
  if (!formatter) byLocale.set(locale, (formatter = make(locale, options)));
  return formatter;
}

const dateTimeFormats: Cache<Intl.DateTimeFormat> = new WeakMap();
const numberFormats: Cache<Intl.NumberFormat> = new WeakMap();

export const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  cached(dateTimeFormats, (l, o) => new Intl.DateTimeFormat(l, o), locale, options);

export const numberFormat = (locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat =>
  cached(numberFormats, (l, o) => new Intl.NumberFormat(l, o), locale, options);

/** The language tag a page's locale formats dates with: day first in English too (en-GB). */
export const dateLocaleOf = (locale: "pt-BR" | "en"): string => (locale === "en" ? "en-GB" : "pt-BR");

/** Brasília time, the zone every date on screen and in mails is shown in. */
export const brazilTimeZone = "America/Sao_Paulo";

/** What `Date#toLocaleString(locale, { timeZone })` prints (date, then time with seconds), in Brasília time. */
export const brazilLocaleString: Intl.DateTimeFormatOptions = {
  timeZone: brazilTimeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit",
};

/** An ISO instant as `toLocaleString` shows it in Brasília time, with a cached formatter; "—" when absent. */
export const localDateTime = (locale: string, iso: string | null | undefined): string =>
  iso ? dateTimeFormat(locale, brazilLocaleString).format(new Date(iso)) : "—";
