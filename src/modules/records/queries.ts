import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { notFound } from "../../platform/errors.js";
import type { ListQuery } from "./schemas.js";
import {
  presentAdvance, presentAmendment, presentContract, presentContractItem, presentMeasurement, presentParty,
  presentPeriod, presentProject,
} from "./presenters.js";
import type { RecordKind } from "./lifecycles.js";

type Reader = Db | Tx;

/** Which list filters each kind understands, mapped to its columns. */
const filterColumns: Record<RecordKind, Partial<Record<keyof ListQuery, string>>> = {
  projects: { status: "status" },
  parties: { kind: "kind" },
  contracts: { projectId: "project_id", partyId: "party_id", status: "status", kind: "kind" },
  amendments: { contractId: "contract_id", status: "status", kind: "kind" },
  periods: { contractId: "contract_id", status: "status" },
  measurements: { contractId: "contract_id", periodId: "period_id", status: "status" },
  advances: { contractId: "contract_id", status: "status" },
};
const searchColumns: Partial<Record<RecordKind, string[]>> = {
  projects: ["code", "name"],
  parties: ["name", "document"],
  contracts: ["number", "object"],
  amendments: ["number", "description"],
  advances: ["number"],
};
/** Kinds below a contract are filtered by project through their contract. */
const underContract = new Set<RecordKind>(["amendments", "periods", "measurements", "advances"]);

/** Keyset pagination over UUIDv7 ids, newest first: stable under inserts, no OFFSET scans. */
export async function listRows(db: Reader, kind: RecordKind, query: ListQuery) {
  let qb = db.selectFrom(`${kind} as r` as "projects as r").selectAll("r") as any;
  const columns = filterColumns[kind];
  for (const [param, column] of Object.entries(columns)) {
    const value = query[param as keyof ListQuery];
    if (value !== undefined) qb = qb.where(`r.${column}`, "=", value);
  }
  if (query.projectId && underContract.has(kind)) {
    qb = qb.where("r.contract_id", "in", db.selectFrom("contracts").select("id").where("project_id", "=", query.projectId));
  }
  if (query.q && searchColumns[kind]) {
    const like = `%${query.q.toLowerCase()}%`;
    qb = qb.where((eb: any) => eb.or(searchColumns[kind]!.map((c) => eb(sql`lower(${sql.ref(`r.${c}`)})`, "like", like))));
  }
  if (query.cursor) qb = qb.where("r.id", "<", query.cursor);
  const rows: any[] = await qb.orderBy("r.id", "desc").limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return { rows: page, nextCursor: rows.length > query.limit ? page[page.length - 1].id : null };
}

export async function getRow(db: Reader, kind: RecordKind, id: string): Promise<any> {
  const row = await db.selectFrom(kind as "projects").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(singularLabel(kind));
  return row;
}

export function findByExternalId(db: Reader, kind: RecordKind, externalId: string): Promise<any> {
  return db.selectFrom(kind as "projects").selectAll().where("external_id", "=", externalId).executeTakeFirst();
}

const singularLabel = (kind: RecordKind) => kind.charAt(0).toUpperCase() + kind.slice(1, kind.endsWith("ies") ? -3 : -1) + (kind.endsWith("ies") ? "y" : "");

/** Σ applied amendment value changes per contract. */
async function amendedValues(db: Reader, contractIds: string[]): Promise<Map<string, number>> {
  if (contractIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("amendments")
    .select(["contract_id", (eb) => eb.fn.sum<number>("value_delta_cents").as("delta")])
    .where("contract_id", "in", contractIds)
    .where("status", "=", "applied")
    .groupBy("contract_id")
    .execute();
  return new Map(rows.map((r) => [r.contract_id, Number(r.delta)]));
}

/** Per contract item: quantity added by applied amendments and quantity measured so far. */
export async function itemBalances(db: Reader, contractId: string, excludeMeasurementId?: string) {
  const amended = await db
    .selectFrom("amendment_items")
    .innerJoin("amendments", "amendments.id", "amendment_items.amendment_id")
    .select(["amendment_items.contract_item_id as item", (eb) => eb.fn.sum<number>("amendment_items.quantity_delta_e4").as("q")])
    .where("amendments.contract_id", "=", contractId)
    .where("amendments.status", "=", "applied")
    .groupBy("amendment_items.contract_item_id")
    .execute();
  let measuredQuery = db
    .selectFrom("measurement_lines")
    .innerJoin("measurements", "measurements.id", "measurement_lines.measurement_id")
    .select(["measurement_lines.contract_item_id as item", (eb) => eb.fn.sum<number>("measurement_lines.quantity_e4").as("q")])
    .where("measurements.contract_id", "=", contractId);
  if (excludeMeasurementId) measuredQuery = measuredQuery.where("measurements.id", "!=", excludeMeasurementId);
  const measured = await measuredQuery.groupBy("measurement_lines.contract_item_id").execute();
  return {
    amended: new Map(amended.map((r) => [r.item, Number(r.q)])),
    measured: new Map(measured.map((r) => [r.item, Number(r.q)])),
  };
}

/** Presents rows of a kind, loading children in one query per kind (no N+1). */
export async function presentRows(db: Reader, kind: RecordKind, rows: any[], detail: boolean): Promise<any[]> {
  const ids = rows.map((r) => r.id);
  switch (kind) {
    case "projects":
      return rows.map(presentProject);
    case "parties": {
      const contacts = ids.length ? await db.selectFrom("party_contacts").selectAll().where("party_id", "in", ids).orderBy("position").execute() : [];
      return rows.map((r) => presentParty(r, contacts.filter((c) => c.party_id === r.id)));
    }
    case "contracts": {
      const values = await amendedValues(db, ids);
      if (!detail) return rows.map((r) => presentContract(r, undefined, values.get(r.id) ?? 0));
      const out = [];
      for (const r of rows) {
        const items = await db.selectFrom("contract_items").selectAll().where("contract_id", "=", r.id).orderBy("position").execute();
        const balances = await itemBalances(db, r.id);
        out.push(presentContract(r, items.map((i) => presentContractItem(i, balances.amended.get(i.id) ?? 0, balances.measured.get(i.id) ?? 0)), values.get(r.id) ?? 0));
      }
      return out;
    }
    case "amendments": {
      if (!detail) return rows.map((r) => presentAmendment(r, undefined));
      const items = ids.length ? await db.selectFrom("amendment_items").selectAll().where("amendment_id", "in", ids).execute() : [];
      return rows.map((r) => presentAmendment(r, items.filter((i) => i.amendment_id === r.id)));
    }
    case "periods":
      return rows.map(presentPeriod);
    case "measurements": {
      if (!detail) return rows.map((r) => presentMeasurement(r, undefined));
      const lines = ids.length ? await db.selectFrom("measurement_lines").selectAll().where("measurement_id", "in", ids).orderBy("position").execute() : [];
      return rows.map((r) => presentMeasurement(r, lines.filter((l) => l.measurement_id === r.id)));
    }
    case "advances":
      return rows.map(presentAdvance);
  }
}

export async function getRecord(ctx: AppContext | { db: Reader }, kind: RecordKind, id: string) {
  const row = await getRow(ctx.db, kind, id);
  return (await presentRows(ctx.db, kind, [row], true))[0];
}

export async function listRecords(ctx: AppContext, kind: RecordKind, query: ListQuery) {
  const { rows, nextCursor } = await listRows(ctx.db, kind, query);
  return { items: await presentRows(ctx.db, kind, rows, false), nextCursor };
}

/** The project a record belongs to (for events, settings and scoping). */
export async function projectIdOf(db: Reader, kind: RecordKind, row: any): Promise<string> {
  if (kind === "projects") return row.id;
  if (kind === "contracts") return row.project_id;
  if (kind === "parties") return "";
  const contract = await getRow(db, "contracts", row.contract_id);
  return contract.project_id;
}

/** The `number` of records of one kind, by id (labels for lists of other modules). */
export async function numbersOf(db: Reader, kind: RecordKind, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom(kind as "contracts").select(["id", "number"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, String(r.number)]));
}

/** How many contracts each project has, in all and active. */
export async function contractCountsByProject(db: Reader, projectIds: string[]): Promise<Map<string, { total: number; active: number }>> {
  const counts = new Map<string, { total: number; active: number }>();
  if (projectIds.length === 0) return counts;
  const rows = await db
    .selectFrom("contracts")
    .select(["project_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("project_id", "in", projectIds)
    .groupBy(["project_id", "status"])
    .execute();
  for (const row of rows) {
    const c = counts.get(row.project_id) ?? { total: 0, active: 0 };
    c.total += Number(row.n);
    if (row.status === "active") c.active += Number(row.n);
    counts.set(row.project_id, c);
  }
  return counts;
}
