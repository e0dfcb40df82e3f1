import { uuidPattern } from "../../platform/ids.js";
/**
 * Criteria of automatic sending: `{ field, op, value }` triples over a few
 * facts of the record, all of which must hold. A tiny interpreter (a table
 * of comparisons), never `eval`. Values are type-checked when settings are
 * saved (`criterionProblem`); at evaluation time a missing fact or a value of
 * another type makes the criterion fail, so a bad rule sends nothing.
 */

export const criterionFields = ["totalCents", "contract.totalCents", "contract.kind", "partyId", "projectId"] as const;
export type CriterionField = (typeof criterionFields)[number];

export const criterionOps = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in"] as const;
export type CriterionOp = (typeof criterionOps)[number];

export type CriterionValue = number | string | number[] | string[];
export interface Criterion {
  field: CriterionField;
  op: CriterionOp;
  value: CriterionValue;
}

/** What criteria are evaluated against; `totalCents` is absent for a record without its own amount (a period). */
export interface RecordFacts {
  totalCents?: number;
  "contract.totalCents": number;
  "contract.kind": string;
  partyId: string;
  projectId: string;
}

type FieldType = "cents" | "text" | "id";
export const fieldTypes: Record<CriterionField, FieldType> = {
  totalCents: "cents",
  "contract.totalCents": "cents",
  "contract.kind": "text",
  partyId: "id",
  projectId: "id",
};

const orderingOps: ReadonlySet<CriterionOp> = new Set(["lt", "lte", "gt", "gte"]);
const listOps: ReadonlySet<CriterionOp> = new Set(["in", "not_in"]);
export const maxListValues = 100;

/** Why a scalar is not a value of this field's type, or null. */
function scalarProblem(type: FieldType, v: unknown): string | null {
  switch (type) {
    case "cents":
      return typeof v === "number" && Number.isSafeInteger(v) ? null : "must be an integer number of cents";
    case "text":
      return typeof v === "string" && v.trim().length > 0 && v.length <= 100 ? null : "must be a non-empty text (at most 100 characters)";
    case "id":
      return typeof v === "string" && uuidPattern.test(v) ? null : "must be an id";
  }
}

/**
 * Why a criterion is not acceptable, with the part at fault (`op` or `value`),
 * or null. Used by the settings schema; exported for the unit tests.
 */
export function criterionProblem(field: CriterionField, op: CriterionOp, value: unknown): { at: "op" | "value"; message: string } | null {
  const type = fieldTypes[field];
  if (orderingOps.has(op) && type !== "cents") return { at: "op", message: `${field} compares only with eq, ne, in, not_in` };
  if (value === undefined) return { at: "value", message: "is required" };
  if (listOps.has(op)) {
    if (!Array.isArray(value)) return { at: "value", message: `must be a list for ${op}` };
    if (value.length === 0) return { at: "value", message: "must list at least one value" };
    if (value.length > maxListValues) return { at: "value", message: `may list at most ${maxListValues} values` };
    for (const v of value) {
      const problem = scalarProblem(type, v);
      if (problem) return { at: "value", message: `every item ${problem}` };
    }
    return null;
  }
  if (Array.isArray(value)) return { at: "value", message: `must be a single value for ${op} (lists go with in, not_in)` };
  const problem = scalarProblem(type, value);
  return problem ? { at: "value", message: problem } : null;
}

const sameType = (a: unknown, b: unknown) => typeof a === typeof b && (typeof a === "number" || typeof a === "string");

/** One criterion against the facts. */
export function holds(criterion: Criterion, facts: Partial<RecordFacts>): boolean {
  const fact = facts[criterion.field];
  if (fact === undefined || fact === null) return false;
  const { op, value } = criterion;
  if (op === "in" || op === "not_in") {
    if (!Array.isArray(value) || value.length === 0) return false;
    const list = value as unknown[];
    if (!list.every((v) => sameType(v, fact))) return false;
    const found = list.includes(fact);
    return op === "in" ? found : !found;
  }
  if (!sameType(value, fact)) return false;
  switch (op) {
    case "eq":
      return fact === value;
    case "ne":
      return fact !== value;
    case "lt":
      return typeof fact === "number" && fact < (value as number);
    case "lte":
      return typeof fact === "number" && fact <= (value as number);
    case "gt":
      return typeof fact === "number" && fact > (value as number);
    case "gte":
      return typeof fact === "number" && fact >= (value as number);
    default:
      return false;
  }
}

/** True when every criterion holds (an empty list always matches). */
export function matchesCriteria(criteria: readonly Criterion[], facts: Partial<RecordFacts>): boolean {
  return criteria.every((c) => holds(c, facts));
}
