import type { AppContext } from "../../platform/context.js";
import { listUsers } from "../auth/queries.js";
import { listRecords } from "../records/queries.js";
import { recordKindOf, type Process } from "../signature/processes.js";
import { presentEnvelope } from "../signature/presenters.js";
import { listEnvelopes } from "../signature/queries.js";
import type { EnvelopeListQuery } from "../signature/schemas.js";

export type MonitorItem = Awaited<ReturnType<typeof listEnvelopes>>["items"][number];

/** The choices of the filter form: projects and users (authors). */
export async function filterChoices(ctx: AppContext) {
  const [projects, users] = await Promise.all([listRecords(ctx, "projects", { limit: 200 }), listUsers(ctx)]);
  return {
    projects: (projects.items as { id: string; code: string; name: string }[]).map((p) => ({ id: p.id, label: `${p.code} · ${p.name}` })),
    authors: users.map((u) => ({ id: u.id, label: u.name || u.email })),
  };
}

/**
 * Numbers of the records a page of envelopes signs, one query per kind.
 * Read straight from the record tables (id and number only): the records
 * module has no batch lookup by ids yet, and one query per row would not do.
 */
export async function recordNumbers(ctx: AppContext, items: { process: string; recordId: string }[]): Promise<Map<string, string>> {
  const byKind = new Map<string, Set<string>>();
  for (const item of items) {
    const kind = recordKindOf[item.process as Process];
    if (!kind) continue;
    if (!byKind.has(kind)) byKind.set(kind, new Set());
    byKind.get(kind)!.add(item.recordId);
  }
  const numbers = new Map<string, string>();
  await Promise.all(
    [...byKind].map(async ([kind, ids]) => {
      const rows = await ctx.db.selectFrom(kind as "contracts").select(["id", "number"]).where("id", "in", [...ids]).execute();
      for (const row of rows) numbers.set(row.id, String(row.number));
    }),
  );
  return numbers;
}

/** One page of the monitor: envelopes from the database only (never the provider), with labels for display. */
export async function monitorPage(ctx: AppContext, query: EnvelopeListQuery) {
  const [page, choices] = await Promise.all([listEnvelopes(ctx, query), filterChoices(ctx)]);
  const numbers = await recordNumbers(ctx, page.items);
  const projects = new Map(choices.projects.map((p) => [p.id, p.label]));
  return {
    ...page,
    choices,
    rows: page.items.map((item) => ({
      ...item,
      recordKind: recordKindOf[item.process as Process],
      recordNumber: numbers.get(item.recordId) ?? null,
      projectLabel: projects.get(item.projectId) ?? null,
    })),
  };
}

/** Envelopes by id, as the list presents them: two queries for a whole page (the row fragments poll this every second). */
export async function envelopesByIds(ctx: AppContext, ids: string[]) {
  if (ids.length === 0) return [];
  const [envelopes, recipients] = await Promise.all([
    ctx.db.selectFrom("envelopes").selectAll().where("id", "in", ids).orderBy("id", "desc").execute(),
    ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "in", ids).orderBy("position").execute(),
  ]);
  return envelopes.map((e) => presentEnvelope(e, recipients.filter((r) => r.envelope_id === e.id)));
}
