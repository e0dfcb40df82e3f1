import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import type { RecordKind } from "../records/lifecycles.js";
import { contractCountsByProject, getRecord, listRecords } from "../records/queries.js";
import type { ListQuery } from "../records/schemas.js";
import { listEnvelopes } from "../envelopes/queries.js";

/** The record kinds that have a page (and can be sent for signature). */
export const pageKinds = ["contracts", "amendments", "periods", "measurements", "advances"] as const;
export type PageKind = (typeof pageKinds)[number];
export const isPageKind = (kind: string): kind is PageKind => (pageKinds as readonly string[]).includes(kind);

/** Every row of a list, page after page (the API caps a page at 200); bounded so a page never grows without limit. */
export async function listAll(ctx: AppContext, kind: RecordKind, filter: Omit<ListQuery, "limit" | "cursor">, max = 1000): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(ctx, kind, { ...filter, limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

const byNumber = (a: { number: string | number }, b: { number: string | number }) =>
  String(a.number).localeCompare(String(b.number), "pt-BR", { numeric: true });

/** Projects with how many contracts each has, and how many of those are active. */
export async function projectsOverview(ctx: AppContext) {
  const projects = (await listAll(ctx, "projects", {})).sort((a, b) => String(a.code).localeCompare(String(b.code), "pt-BR", { numeric: true }));
  const counts = await contractCountsByProject(ctx.db, projects.map((p) => p.id));
  return projects.map((p) => ({ ...p, contracts: counts.get(p.id) ?? { total: 0, active: 0 } }));
}

async function partiesById(ctx: AppContext, ids: string[]) {
  const unique = [...new Set(ids)];
  const parties = await Promise.all(unique.map((id) => getRecord(ctx, "parties", id).catch(() => null)));
  return new Map(parties.filter(Boolean).map((p: any) => [p.id, p]));
}

export async function projectView(ctx: AppContext, projectId: string) {
  const project = await getRecord(ctx, "projects", projectId);
  const contracts = (await listAll(ctx, "contracts", { projectId })).sort(byNumber);
  const parties = await partiesById(ctx, contracts.map((c) => c.partyId));
  return { project, contracts: contracts.map((c) => ({ ...c, party: parties.get(c.partyId) ?? null })) };
}

/**
 * Everything a record's page shows: the record, its contract, project and
 * party, its children and its envelopes.
 */
export async function recordView(ctx: AppContext, kind: PageKind, id: string) {
  if (!isPageKind(kind)) throw new AppError("not_found", "No such page");
  const record = await getRecord(ctx, kind, id);
  const contract = kind === "contracts" ? record : await getRecord(ctx, "contracts", record.contractId);
  const [project, party] = await Promise.all([getRecord(ctx, "projects", contract.projectId), getRecord(ctx, "parties", contract.partyId)]);
  const itemsById = new Map<string, any>((contract.items ?? []).map((i: any) => [i.id, i]));

  const children: Partial<Record<PageKind, any[]>> = {};
  if (kind === "contracts") {
    const [amendments, periods, measurements, advances] = await Promise.all(
      (["amendments", "periods", "measurements", "advances"] as const).map((k) => listAll(ctx, k, { contractId: id })),
    );
    Object.assign(children, { amendments: amendments!.sort(byNumber), periods: periods!.sort(byNumber), measurements: measurements!.sort(byNumber), advances: advances!.sort(byNumber) });
  } else if (kind === "periods") {
    children.measurements = (await listAll(ctx, "measurements", { periodId: id })).sort(byNumber);
  }
  const period = kind === "measurements" ? await getRecord(ctx, "periods", record.periodId) : null;
  const { items: envelopes } = await listEnvelopes(ctx, { recordId: id, limit: 100 });
  return { kind, record, contract, project, party, period, itemsById, children, envelopes };
}

export type RecordView = Awaited<ReturnType<typeof recordView>>;

/** The name a document gets by default: "Contrato CT-2026/001", "Medição 3 — CT-2026/001". */
export function defaultDocumentName(view: Pick<RecordView, "kind" | "record" | "contract">, kindLabel: string): string {
  if (view.kind === "contracts") return `${kindLabel} ${view.record.number}`;
  return `${kindLabel} ${view.record.number} — ${view.contract.number}`;
}
