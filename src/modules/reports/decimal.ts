/**
 * Exact decimal arithmetic for quantities and money. Quantities carry up to
 * four decimals and are held as BigInt scaled by 10⁴; money is integer cents.
 * No float ever touches a value that ends up printed on a signed document.
 */
import { divRoundHalfUp } from "../../platform/decimal.js";
import { AppError } from "../../platform/errors.js";
import type { Quantity } from "./types.js";

export const QUANTITY_SCALE = 4;
const SCALE = 10n ** BigInt(QUANTITY_SCALE);

export { divRoundHalfUp };

const DECIMAL = /^([+-])?(\d+)(?:[.,](\d*))?$/;

/**
 * Parses a quantity into an integer scaled by 10⁴.
 * Strings must be plain decimals ("12", "-3.5", "0,1250") with at most four
 * decimals: they come from the database and anything finer is a bug upstream.
 * Numbers are read through their shortest decimal form and rounded half-up to
 * four decimals, which absorbs float noise such as 0.30000000000000004.
 */
export function parseQuantity(value: Quantity, field = "quantity"): bigint {
  if (typeof value === "bigint") return value * SCALE;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(field, `not a finite number: ${value}`);
    return roundToScale(numberToPlainString(value), field);
  }
  const text = String(value).trim();
  const m = DECIMAL.exec(text);
  if (!m) throw invalid(field, `not a decimal number: ${JSON.stringify(value)}`);
  const fraction = m[3] ?? "";
  if (fraction.length > QUANTITY_SCALE) {
    throw invalid(field, `more than ${QUANTITY_SCALE} decimals: ${JSON.stringify(value)}`);
  }
  const scaled = BigInt(m[2]) * SCALE + BigInt(fraction.padEnd(QUANTITY_SCALE, "0") || "0");
  return m[1] === "-" ? -scaled : scaled;
}

function roundToScale(plain: string, field: string): bigint {
  const m = DECIMAL.exec(plain);
  if (!m) throw invalid(field, `not a decimal number: ${plain}`);
  const fraction = m[3] ?? "";
  const digits = BigInt(m[2] + fraction || "0");
  const exact = divRoundHalfUp(digits * SCALE, 10n ** BigInt(fraction.length));
  return m[1] === "-" ? -exact : exact;
}

/** Expands exponent notation (1e-7, 1.5e+21) into a plain decimal string. */
function numberToPlainString(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!m) return text;
  const [, sign, int, frac = "", expText] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Validates integer cents (number or bigint) and returns them as a BigInt. */
export function toCents(value: number | bigint, field = "cents"): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw invalid(field, `not an integer number of cents: ${value}`);
  return BigInt(value);
}

/** quantity × unit price, exact, rounded half-up to cents. */
export function lineTotalCents(quantity: Quantity, unitPriceCents: number | bigint): bigint {
  return divRoundHalfUp(parseQuantity(quantity) * toCents(unitPriceCents, "unitPriceCents"), SCALE);
}

/** part / whole as a percentage with two decimals, scaled by 100 (12.34 % → 1234n); null when whole is 0. */
export function percentScaled(part: bigint, whole: bigint): bigint | null {
  if (whole === 0n) return null;
  return divRoundHalfUp(part * 10000n, whole);
}

/** Converts cents back to a JS number for callers that store numbers; refuses unsafe values. */
export function centsToNumber(cents: bigint): number {
  const n = Number(cents);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${cents}`);
  return n;
}

function invalid(field: string, message: string): AppError {
  return new AppError("validation", `${field}: ${message}`, { [field]: message });
}
