/**
 * Typed reads of the records for the modules above: the report input, the
 * signature rules (recipients, triggers, criteria) and the envelope's record.
 * Each answers one question with one query, and runs on whatever it is given
 * (`Db`, or the caller's transaction), so callers keep their query count and
 * their transaction.
 */
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import type { RecordKind } from "./lifecycles.js";

type Reader = Db | Tx;

/** A SUM() from the database: a number on SQLite, a numeric string on PostgreSQL, null over no rows. */
const sumValue = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Quantities (×10^4) per contract item, from `SUM(quantity_e4) … GROUP BY contract_item_id` rows. */
const quantitiesByItem = (rows: { item: string; q: unknown }[]): Map<string, bigint> =>
  new Map(rows.map((r) => [r.item, BigInt(sumValue(r.q))]));

// ── Any record ───────────────────────────────────────────────────────────────

/** One record of a kind, every column; undefined when there is none (the caller names its own error). */
export function findRecordRow(db: Reader, kind: RecordKind, id: string): Promise<any | undefined> {
  return db.selectFrom(kind as "contracts").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Whether a record of this kind exists (reads its id only). */
export async function recordExists(db: Reader, kind: RecordKind, id: string): Promise<boolean> {
  return (await db.selectFrom(kind as "contracts").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

/** Kinds that hang under a contract, each with its `contract_id`. */
const underContract: readonly RecordKind[] = ["amendments", "periods", "measurements", "advances"];

/**
 * Ids of the records of `kind` under a parent record: a contract's
 * amendments, periods, measurements or advances, a period's measurements.
 * Any other pair has no children (empty, no query).
 */
export async function childRecordIds(db: Reader, kind: RecordKind, parent: { kind: RecordKind; id: string }): Promise<string[]> {
  if (parent.kind === "contracts" && underContract.includes(kind)) {
    return (await db.selectFrom(kind as "measurements").select("id").where("contract_id", "=", parent.id).execute()).map((r) => r.id);
  }
  if (parent.kind === "periods" && kind === "measurements") {
    return (await db.selectFrom("measurements").select("id").where("period_id", "=", parent.id).execute()).map((r) => r.id);
  }
  return [];
}

// ── Projects ─────────────────────────────────────────────────────────────────

export async function projectExists(db: Reader, projectId: string): Promise<boolean> {
  return (await db.selectFrom("projects").select("id").where("id", "=", projectId).executeTakeFirst()) !== undefined;
}

/** What a page under a project shows of it. */
export function findProjectHeader(db: Reader, projectId: string): Promise<{ id: string; code: string; name: string } | undefined> {
  return db.selectFrom("projects").select(["id", "code", "name"]).where("id", "=", projectId).executeTakeFirst();
}

/** The user who manages the project; null when none is set or the project does not exist. */
export async function projectManagerId(db: Reader, projectId: string): Promise<string | null> {
  const row = await db.selectFrom("projects").select("manager_user_id").where("id", "=", projectId).executeTakeFirst();
  return row?.manager_user_id ?? null;
}

// ── Parties ──────────────────────────────────────────────────────────────────

export interface PartyContact {
  name: string;
  email: string;
  cpf: string | null;
  role: string | null;
}

/** A party's contacts, in their order on the party. */
export function partyContactsOf(db: Reader, partyId: string): Promise<PartyContact[]> {
  return db.selectFrom("party_contacts").select(["name", "email", "cpf", "role"]).where("party_id", "=", partyId).orderBy("position").execute();
}

/** The distinct roles of the contacts of the parties of a project's contracts, sorted, at most `limit`. */
export async function partyContactRolesInProject(db: Reader, projectId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("party_contacts")
    .select("party_contacts.role")
    .distinct()
    .where("party_contacts.party_id", "in", (eb) => eb.selectFrom("contracts").select("party_id").where("project_id", "=", projectId))
    .where("party_contacts.role", "is not", null)
    .orderBy("party_contacts.role")
    .limit(limit)
    .execute();
  return rows.map((r) => r.role!);
}

// ── Contracts and amendments ─────────────────────────────────────────────────

/** The party of a contract; null when the contract does not exist. */
export async function partyIdOfContract(db: Reader, contractId: string): Promise<string | null> {
  const row = await db.selectFrom("contracts").select("party_id").where("id", "=", contractId).executeTakeFirst();
  return row?.party_id ?? null;
}

/** A contract's items, every column, in their order on the contract. */
export function contractItemsOf(db: Reader, contractId: string) {
  return db.selectFrom("contract_items").selectAll().where("contract_id", "=", contractId).orderBy("position").execute();
}

/** The ids of a contract's items, in their order on the contract. */
export async function contractItemIdsOf(db: Reader, contractId: string): Promise<string[]> {
  return (await db.selectFrom("contract_items").select("id").where("contract_id", "=", contractId).orderBy("position").execute()).map((i) => i.id);
}

/** An amendment's item lines, every column, in id (creation) order. */
export function amendmentItemsOf(db: Reader, amendmentId: string) {
  return db.selectFrom("amendment_items").selectAll().where("amendment_id", "=", amendmentId).orderBy("id").execute();
}

// ── Periods and measurements ─────────────────────────────────────────────────

/** A period's measurements, in id (creation) order. */
export function measurementsOfPeriod(db: Reader, periodId: string) {
  return db.selectFrom("measurements").select(["id", "number", "status", "total_cents", "created_at"]).where("period_id", "=", periodId).orderBy("id").execute();
}

/** Ids of the contract's periods numbered before `period` (a subquery, not run on its own). */
const periodsBefore = (db: Reader, period: { contract_id: string; number: number }) =>
  db.selectFrom("periods").select("id").where("contract_id", "=", period.contract_id).where("number", "<", period.number);

/** Σ total_cents of the contract's measurements in the periods numbered before this one (0 when none). */
export async function measuredCentsBeforePeriod(db: Reader, period: { contract_id: string; number: number }): Promise<number> {
  const row = await db
    .selectFrom("measurements")
    .select((eb) => eb.fn.sum<number>("total_cents").as("cents"))
    .where("contract_id", "=", period.contract_id)
    .where("period_id", "in", periodsBefore(db, period))
    .executeTakeFirst();
  return sumValue(row?.cents);
}

/** Σ measured quantity (×10^4) per contract item over measurements of the contract in the given periods. */
function quantitiesMeasuredIn(db: Reader, contractId: string, periodIds: ReturnType<typeof periodsBefore> | string[]) {
  return db
    .selectFrom("measurement_lines")
    .innerJoin("measurements", "measurements.id", "measurement_lines.measurement_id")
    .select(["measurement_lines.contract_item_id as item", (eb) => eb.fn.sum<number>("measurement_lines.quantity_e4").as("q")])
    .where("measurements.contract_id", "=", contractId)
    .where("measurements.period_id", "in", periodIds)
    .groupBy("measurement_lines.contract_item_id")
    .execute();
}

/** Quantity (×10^4) measured per contract item in this period; items not measured are absent. */
export async function quantitiesMeasuredInPeriod(db: Reader, period: { id: string; contract_id: string }): Promise<Map<string, bigint>> {
  return quantitiesByItem(await quantitiesMeasuredIn(db, period.contract_id, [period.id]));
}

/** Quantity (×10^4) measured per contract item in the contract's periods numbered before this one. */
export async function quantitiesMeasuredBeforePeriod(db: Reader, period: { contract_id: string; number: number }): Promise<Map<string, bigint>> {
  return quantitiesByItem(await quantitiesMeasuredIn(db, period.contract_id, periodsBefore(db, period)));
}

/** A measurement's lines, every column, in their order on the measurement. */
export function measurementLinesOf(db: Reader, measurementId: string) {
  return db.selectFrom("measurement_lines").selectAll().where("measurement_id", "=", measurementId).orderBy("position").execute();
}

/**
 * Quantity (×10^4) of each of `itemIds` in the contract's measurements
 * before this one (smaller id: UUIDv7, so created earlier), whatever their
 * status. No query when `itemIds` is empty.
 */
export async function quantitiesMeasuredBefore(db: Reader, measurement: { id: string; contract_id: string }, itemIds: string[]): Promise<Map<string, bigint>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("measurement_lines")
    .innerJoin("measurements", "measurements.id", "measurement_lines.measurement_id")
    .select(["measurement_lines.contract_item_id as item", (eb) => eb.fn.sum<number>("measurement_lines.quantity_e4").as("q")])
    .where("measurements.contract_id", "=", measurement.contract_id)
    .where("measurements.id", "<", measurement.id)
    .where("measurement_lines.contract_item_id", "in", itemIds)
    .groupBy("measurement_lines.contract_item_id")
    .execute();
  return quantitiesByItem(rows);
}

// ── Advances ─────────────────────────────────────────────────────────────────

/** Σ amount_cents of the contract's advances before this one (smaller id), any status; 0 when none. */
export async function advancedCentsBefore(db: Reader, advance: { id: string; contract_id: string }): Promise<number> {
  const row = await db
    .selectFrom("advances")
    .select((eb) => eb.fn.sum<number>("amount_cents").as("cents"))
    .where("contract_id", "=", advance.contract_id)
    .where("id", "<", advance.id)
    .executeTakeFirst();
  return sumValue(row?.cents);
}
