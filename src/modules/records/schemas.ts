import { z } from "zod";
import {
  centsField, cpfField, cpfOrCnpjField, emailField, externalIdField, idField, isoDateField,
  quantityField, signedCentsField, signedQuantityField,
} from "../../platform/validation/fields.js";

const text = (max = 500) => z.string().trim().min(1, { message: "is required" }).max(max);
const optionalText = (max = 500) => z.string().trim().max(max).nullable().optional();

/** end ≥ start, reported on the end field. */
function datesInOrder<T extends { startDate?: string; endDate?: string }>(value: T, ctx: z.RefinementCtx) {
  if (value.startDate && value.endDate && value.endDate < value.startDate) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "must be on or after startDate" });
  }
}

function uniqueBy<T>(key: (item: T) => string, field: string, label: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i, field], message: `${label} appears twice` });
      seen.add(k);
    });
  };
}

// ── projects
export const projectCreate = z.strictObject({
  externalId: externalIdField.optional(),
  code: text(50),
  name: text(200),
  address: optionalText(500),
  managerUserId: idField.nullable().optional(),
});
export const projectPatch = projectCreate.omit({ externalId: true }).partial().strict();

// ── parties
export const contactInput = z.strictObject({
  name: text(200),
  email: emailField,
  cpf: cpfField.nullable().optional(),
  role: optionalText(100),
});
export const partyCreate = z.strictObject({
  externalId: externalIdField.optional(),
  kind: z.enum(["supplier", "customer"]),
  name: text(200),
  document: cpfOrCnpjField,
  contacts: z.array(contactInput).max(100).superRefine(uniqueBy((c) => c.email, "email", "e-mail")).default([]),
});
export const partyPatch = z.strictObject({
  kind: z.enum(["supplier", "customer"]).optional(),
  name: text(200).optional(),
  document: cpfOrCnpjField.optional(),
  contacts: z.array(contactInput).max(100).superRefine(uniqueBy((c) => c.email, "email", "e-mail")).optional(),
});

// ── contracts
export const contractItemInput = z.strictObject({
  id: idField.optional(),
  code: text(50),
  description: text(500),
  unit: text(20),
  quantity: quantityField,
  unitPriceCents: centsField,
});
const contractItems = z
  .array(contractItemInput)
  .max(5000)
  .superRefine(uniqueBy((i) => i.code, "code", "item code"));
const contractFields = {
  projectId: idField,
  partyId: idField,
  number: text(50),
  kind: text(50),
  object: text(2000),
  startDate: isoDateField,
  endDate: isoDateField,
  items: contractItems,
};
export const contractCreate = z.strictObject({ externalId: externalIdField.optional(), ...contractFields, items: contractItems.default([]) }).superRefine(datesInOrder);
export const contractPatch = z.strictObject(contractFields).partial().strict().superRefine(datesInOrder);

// ── amendments
const amendmentItems = z
  .array(z.strictObject({ contractItemId: idField, quantityDelta: signedQuantityField }))
  .max(5000)
  .superRefine(uniqueBy((i) => i.contractItemId, "contractItemId", "contract item"));
export const amendmentCreate = z.strictObject({
  externalId: externalIdField.optional(),
  contractId: idField,
  number: text(50).optional(),
  kind: z.enum(["value", "term", "scope"]),
  valueDeltaCents: signedCentsField.default(0),
  newEndDate: isoDateField.nullable().optional(),
  description: text(2000),
  items: amendmentItems.default([]),
});
export const amendmentPatch = z.strictObject({
  number: text(50).optional(),
  kind: z.enum(["value", "term", "scope"]).optional(),
  valueDeltaCents: signedCentsField.optional(),
  newEndDate: isoDateField.nullable().optional(),
  description: text(2000).optional(),
  items: amendmentItems.optional(),
});

// ── periods
export const periodCreate = z
  .strictObject({ externalId: externalIdField.optional(), contractId: idField, number: z.number().int().min(1).optional(), startDate: isoDateField, endDate: isoDateField })
  .superRefine(datesInOrder);
export const periodPatch = z
  .strictObject({ number: z.number().int().min(1).optional(), startDate: isoDateField.optional(), endDate: isoDateField.optional() })
  .superRefine(datesInOrder);

// ── measurements
const measurementLines = z
  .array(z.strictObject({ contractItemId: idField, quantity: quantityField }))
  .min(1, { message: "must have at least one line" })
  .max(5000)
  .superRefine(uniqueBy((l) => l.contractItemId, "contractItemId", "contract item"));
export const measurementCreate = z.strictObject({
  externalId: externalIdField.optional(),
  contractId: idField,
  periodId: idField,
  number: z.number().int().min(1).optional(),
  lines: measurementLines,
});
export const measurementPatch = z.strictObject({ number: z.number().int().min(1).optional(), lines: measurementLines.optional() });

// ── advances
export const advanceCreate = z.strictObject({
  externalId: externalIdField.optional(),
  contractId: idField,
  number: text(50).optional(),
  amountCents: centsField.refine((v) => v > 0, { message: "must be more than 0" }),
  dueDate: isoDateField,
});
export const advancePatch = z.strictObject({
  number: text(50).optional(),
  amountCents: centsField.refine((v) => v > 0, { message: "must be more than 0" }).optional(),
  dueDate: isoDateField.optional(),
});

export const transitionBody = z.strictObject({ to: z.string().min(1, { message: "is required" }) });

export const listQuery = z.strictObject({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  projectId: idField.optional(),
  contractId: idField.optional(),
  partyId: idField.optional(),
  periodId: idField.optional(),
  status: z.string().optional(),
  kind: z.string().optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;
