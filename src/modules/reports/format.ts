/**
 * Exact formatting of money, dates, documents and quantities for the reports.
 * Brazilian by default (R$ 1.234,56 · 28/11/2026 · 12,50); the English locale
 * keeps the currency (BRL) and uses English separators (R$ 1,234.56).
 * Grouping comes from Intl applied to BigInt integer parts, so no value is
 * ever rounded through a float.
 */
import { divRoundHalfUp, parseQuantity, percentScaled, QUANTITY_SCALE, toCents } from "./decimal.js";
import type { Cents, IsoDate, Locale, Quantity } from "./types.js";

const groupers: Record<Locale, Intl.NumberFormat> = {
  "pt-BR": new Intl.NumberFormat("pt-BR", { useGrouping: true, maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat("en-US", { useGrouping: true, maximumFractionDigits: 0 }),
};
const decimalSeparator: Record<Locale, string> = { "pt-BR": ",", en: "." };

/** Formats a non-negative BigInt integer part with the locale's thousands separator. */
function groupInteger(value: bigint, locale: Locale): string {
  return groupers[locale].format(value);
}

function splitScaled(scaled: bigint, scale: number): { negative: boolean; int: bigint; frac: string } {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const factor = 10n ** BigInt(scale);
  return { negative, int: abs / factor, frac: (abs % factor).toString().padStart(scale, "0") };
}

/** 123456 → "R$ 1.234,56"; -5 → "-R$ 0,05"; en: "R$ 1,234.56". Accepts number or bigint cents. */
export function formatBRL(cents: Cents, locale: Locale = "pt-BR"): string {
  const { negative, int, frac } = splitScaled(toCents(cents), 2);
  const body = `R$ ${groupInteger(int, locale)}${decimalSeparator[locale]}${frac}`;
  return negative ? `-${body}` : body;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const saoPaulo = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Sao_Paulo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const monthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Calendar day of an ISO date or timestamp, as [year, month, day]; timestamps are read in America/Sao_Paulo. */
function calendarDay(iso: IsoDate): [string, string, string] {
  const day = ISO_DAY.exec(iso);
  if (day) return [day[1], day[2], day[3]];
  const time = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(time)) throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
  const parts = Object.fromEntries(saoPaulo.formatToParts(new Date(time)).map((p) => [p.type, p.value]));
  return [parts.year, parts.month, parts.day];
}

/** "2026-11-28" → "28/11/2026". A timestamp gives its day in America/Sao_Paulo. */
export function formatDateBR(iso: IsoDate): string {
  const [y, m, d] = calendarDay(iso);
  return `${d}/${m}/${y}`;
}

/** pt-BR: "28/11/2026"; en: "28 Nov 2026" (unambiguous for readers of either convention). */
export function formatDate(iso: IsoDate, locale: Locale = "pt-BR"): string {
  if (locale === "pt-BR") return formatDateBR(iso);
  const [y, m, d] = calendarDay(iso);
  return `${d} ${monthsEn[Number(m) - 1]} ${y}`;
}

/**
 * "12345678909" → "123.456.789-09"; "11222333000181" → "11.222.333/0001-81".
 * Also the alphanumeric CNPJ (12 letters/digits + 2 check digits) introduced in 2026.
 * Punctuation in the input is ignored; anything else (a foreign id) is returned trimmed, as given.
 */
export function formatCpfCnpj(document: string): string {
  const raw = document.trim();
  const compact = raw.replace(/[.\-/\s]/g, "").toUpperCase();
  if (/^\d{11}$/.test(compact)) {
    return `${compact.slice(0, 3)}.${compact.slice(3, 6)}.${compact.slice(6, 9)}-${compact.slice(9)}`;
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(compact)) {
    return `${compact.slice(0, 2)}.${compact.slice(2, 5)}.${compact.slice(5, 8)}/${compact.slice(8, 12)}-${compact.slice(12)}`;
  }
  return raw;
}

export interface QuantityFormat {
  /** Decimals always shown (default 2). */
  minDecimals?: number;
  /** Decimals shown at most (default 4, the stored precision); below 4 the value is rounded half-up. */
  maxDecimals?: number;
}

/** "1234.5" → "1.234,50"; "0.1255" → "0,1255"; -3 → "-3,00"; en: "1,234.50". Exact, from the decimal string. */
export function formatQuantity(quantity: Quantity, locale: Locale = "pt-BR", options: QuantityFormat = {}): string {
  const max = Math.min(QUANTITY_SCALE, Math.max(0, options.maxDecimals ?? QUANTITY_SCALE));
  const min = Math.min(max, Math.max(0, options.minDecimals ?? 2));
  const scaled = divRoundHalfUp(parseQuantity(quantity), 10n ** BigInt(QUANTITY_SCALE - max));
  const { negative, int, frac } = splitScaled(scaled, max);
  let digits = max === 0 ? "" : frac;
  while (digits.length > min && digits.endsWith("0")) digits = digits.slice(0, -1);
  const body = digits.length > 0 ? `${groupInteger(int, locale)}${decimalSeparator[locale]}${digits}` : groupInteger(int, locale);
  return negative ? `-${body}` : body;
}

/** How many decimals a quantity needs to be shown exactly (0 to 4): "12.50" → 1, "3.1416" → 4. */
export function quantityDecimals(quantity: Quantity): number {
  let scaled = parseQuantity(quantity);
  if (scaled < 0n) scaled = -scaled;
  let decimals = QUANTITY_SCALE;
  while (decimals > 0 && scaled % 10n === 0n) {
    scaled /= 10n;
    decimals--;
  }
  return decimals;
}

/**
 * One formatter for a whole table column (or table): every value gets the same
 * number of decimals — the most any of them needs, at least `min` — so the
 * decimal commas line up and nothing is rounded away.
 */
export function quantityColumnFormatter(values: Iterable<Quantity>, locale: Locale = "pt-BR", min = 2): (q: Quantity) => string {
  let decimals = min;
  for (const value of values) decimals = Math.max(decimals, quantityDecimals(value));
  return (q) => formatQuantity(q, locale, { minDecimals: decimals, maxDecimals: decimals });
}

/** part/whole as "12,34%" (en "12.34%"); "–" when whole is zero. */
export function formatPercent(part: bigint, whole: bigint, locale: Locale = "pt-BR"): string {
  const scaled = percentScaled(part, whole);
  if (scaled === null) return "–";
  const { negative, int, frac } = splitScaled(scaled, 2);
  return `${negative ? "-" : ""}${groupInteger(int, locale)}${decimalSeparator[locale]}${frac}%`;
}
