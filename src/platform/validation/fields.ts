import { z } from "zod";
import { divRoundHalfUp } from "../decimal.js";
import { isValidCpf, isValidCpfOrCnpj, onlyDigits } from "./documents.js";

/** Shared zod pieces for the edges: each names its rule in the message a user reads. */

export const cpfField = z
  .string()
  .transform(onlyDigits)
  .refine(isValidCpf, { message: "must be a valid CPF (11 digits with check digits)" });

export const cpfOrCnpjField = z
  .string()
  .transform(onlyDigits)
  .refine(isValidCpfOrCnpj, { message: "must be a valid CPF or CNPJ (check digits)" });

export const emailField = z.string().trim().toLowerCase().pipe(z.email({ message: "must be a valid e-mail address" }));

export const isoDateField = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD" })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, { message: "must be a real calendar date" });

const maxCents = 9_000_000_000_000_000; // below 2^53: exact in a JS number on both databases

export const centsField = z
  .number({ message: "must be an integer number of cents" })
  .int({ message: "must be an integer number of cents" })
  .min(0, { message: "must be 0 or more" })
  .max(maxCents, { message: "is too large" });

export const signedCentsField = z
  .number({ message: "must be an integer number of cents" })
  .int({ message: "must be an integer number of cents" })
  .min(-maxCents)
  .max(maxCents);

/** Quantities carry up to 4 decimals and are stored as integers scaled by 10^4. */
export const quantityScale = 10_000;

export function toE4(value: number): number {
  return Math.round(value * quantityScale);
}

export const fromE4 = (value: number): number => value / quantityScale;

const hasAtMostFourDecimals = (v: number) => Math.abs(v * quantityScale - Math.round(v * quantityScale)) < 1e-6;

export const quantityField = z
  .number({ message: "must be a number" })
  .finite()
  .min(0, { message: "must be 0 or more" })
  .max(1e11, { message: "is too large" })
  .refine(hasAtMostFourDecimals, { message: "may have at most 4 decimal places" });

export const signedQuantityField = z
  .number({ message: "must be a number" })
  .finite()
  .min(-1e11)
  .max(1e11)
  .refine(hasAtMostFourDecimals, { message: "may have at most 4 decimal places" });

/** quantity × unit price in exact integer arithmetic, rounded half-up to the cent (the same rule the reports print with). */
export function lineTotalCents(quantityE4: number, unitPriceCents: number): number {
  return Number(divRoundHalfUp(BigInt(quantityE4) * BigInt(unitPriceCents), BigInt(quantityScale)));
}

export const externalIdField = z.string().trim().min(1).max(200);
export const idField = z.string().uuid({ message: "must be an id" });

/**
 * A Brazilian phone as TOTVS Sign takes it for WhatsApp/SMS: DDD + number,
 * digits only (`11987654321`). Punctuation and a leading +55 or 0 are
 * dropped; the DDD must be a real area code (11–99, no 0 digit) and the
 * number 8 digits (landline) or 9 starting with 9 (mobile).
 */
export const brazilianPhoneField = z
  .string()
  .transform((s) => {
    let digits = onlyDigits(s);
    if (digits.length >= 12 && digits.startsWith("55")) digits = digits.slice(2);
    if (digits.length >= 11 && digits.startsWith("0")) digits = digits.slice(1);
    return digits;
  })
  .refine((d) => /^[1-9][1-9](?:9\d{8}|[2-8]\d{7})$/.test(d), { message: "must be a Brazilian phone: DDD and number, e.g. (11) 98765-4321" });
