import { localizeFailures } from "../envelopes/presenters.js";
import type { Locale } from "../../platform/i18n/index.js";
import type { AppContext } from "../../platform/context.js";
import { listUsers } from "../auth/queries.js";
import { listRecords, numbersOf } from "../records/queries.js";
import type { RecordKind } from "../records/lifecycles.js";
import { recordKindOf, type Process } from "../envelopes/processes.js";
import { listEnvelopes } from "../envelopes/queries.js";
import type { EnvelopeListQuery } from "../envelopes/schemas.js";

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
  for (const [kind, ids] of byKind) for (const [id, number] of await numbersOf(ctx.db, kind as RecordKind, [...ids])) numbers.set(id, number);
  return numbers;
}

/** One page of the monitor: envelopes from the database only (never the provider), with labels for display. */
export async function monitorPage(ctx: AppContext, query: EnvelopeListQuery, locale: Locale = "pt-BR") {
  const [page, choices] = await Promise.all([listEnvelopes(ctx, query), filterChoices(ctx)]);
  const numbers = await recordNumbers(ctx, page.items);
  const projects = new Map(choices.projects.map((p) => [p.id, p.label]));
  return {
    ...page,
    choices,
    rows: page.items.map((item) => ({
      ...localizeFailures(item, locale),
      recordKind: recordKindOf[item.process as Process],
      recordNumber: numbers.get(item.recordId) ?? null,
      projectLabel: projects.get(item.projectId) ?? null,
    })),
  };
}

export { envelopesByIds } from "../envelopes/queries.js";
