/** Small pure conversions between stored record values and report input values. */
import type { Locale } from "../../reports/index.js";

/** Stored quantity (integer scaled by 10^4) → exact decimal string: 10005000 → "1000.5". No float in between. */
export function e4ToDecimal(valueE4: number | string | bigint): string {
  const scaled = BigInt(valueE4);
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const fraction = (abs % 10_000n).toString().padStart(4, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / 10_000n}${fraction ? `.${fraction}` : ""}`;
}

const statusLabels: Record<Locale, Record<string, Record<string, string>>> = {
  "pt-BR": {
    periods: { open: "Aberto", closed: "Fechado", released: "Liberado" },
    measurements: { draft: "Rascunho", approved: "Aprovada", released: "Liberada" },
  },
  en: {
    periods: { open: "Open", closed: "Closed", released: "Released" },
    measurements: { draft: "Draft", approved: "Approved", released: "Released" },
  },
};

/** The word printed for a record's status; the raw status when there is none. */
export const statusLabel = (locale: Locale, kind: "periods" | "measurements", status: string): string =>
  statusLabels[locale]?.[kind]?.[status] ?? status;
