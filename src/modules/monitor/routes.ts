import { localizeFailures } from "../envelopes/presenters.js";
import { uuidPattern } from "../../platform/ids.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z, ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { setRetryAfter, zodFields } from "../../platform/http/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { format, localeOf, type Locale } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePageUser } from "../auth/pages.js";
import { getRecord } from "../records/queries.js";
import { can } from "../auth/policies.js";
import { cancelEnvelope } from "../envelopes/commands/cancel-envelope.js";
import { addRecipient, removeRecipient } from "../envelopes/commands/change-recipients.js";
import { openStatuses } from "../envelopes/envelope-state.js";
import { recordKindOf, type Process } from "../envelopes/processes.js";
import { existingEnvelopeIds, getEnvelope } from "../envelopes/queries.js";
import { pageRefreshKey, refreshJobStatus, startRefreshJob } from "../envelopes/refresh/index.js";
import { envelopeListQuery, envelopeStatuses, type EnvelopeListQuery } from "../envelopes/schemas.js";
import { getSignatureSettings } from "../signature-settings/index.js";
import { processes } from "../envelopes/processes.js";
import { resendToRecipient } from "../envelopes/commands/resend-to-recipient.js";
import { formatDateTime, monitorMessages } from "./messages.js";
import { bulkRoutes } from "./bulk.js";
import { envelopesByIds, monitorPage, recordNumbers } from "./queries.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";

const views = "/modules/monitor/views";
const pageSize = 25;
/** On load, envelopes checked within this window are not asked again (reloads do not hammer the provider). */
const freshForMs = 60_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export const filterNames = ["projectId", "process", "status", "authorId", "recipient", "from", "to", "q"] as const;
type FilterName = (typeof filterNames)[number];

const text = (v: unknown) => (typeof v === "string" ? v.trim() : Array.isArray(v) && typeof v[0] === "string" ? v[0].trim() : "");
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");

/** The filter form → the list query; a filter that does not parse is named and left out, never a 500. */
export function parseFilters(raw: Record<string, unknown>, invalidDate: string, locale: Locale = "en") {
  const values: Partial<Record<FilterName, string>> = {};
  for (const name of filterNames) {
    const v = text(raw[name]);
    if (v) values[name] = v;
  }
  const errors: Partial<Record<FilterName, string>> = {};
  for (const name of ["from", "to"] as const) if (values[name] && !isoDate.test(values[name]!)) errors[name] = invalidDate;
  const cursor = text(raw.cursor);
  const attempt = (omit: Set<string>) =>
    envelopeListQuery.safeParse({
      ...Object.fromEntries(Object.entries(values).filter(([k]) => !omit.has(k))),
      ...(cursor && uuidPattern.test(cursor) ? { cursor } : {}),
      limit: pageSize,
    });
  let parsed = attempt(new Set(Object.keys(errors)));
  if (!parsed.success) {
    for (const [k, v] of Object.entries(zodFields(parsed.error, locale))) errors[k as FilterName] ??= v;
    parsed = attempt(new Set(Object.keys(errors)));
  }
  const query: EnvelopeListQuery = parsed.success ? parsed.data : { limit: pageSize };
  const job = text(raw.job);
  return { values, errors, query, cursor: query.cursor ?? null, job: uuidPattern.test(job) ? job : null };
}

/** Open envelopes not checked within the fresh window: what a refresh on load asks the provider about. */
function staleIds(rows: readonly { id: string; status: string; lastCheckedAt: string | null }[], now: number): string[] {
  return rows
    .filter((r) => openStatuses.includes(r.status as never) && (!r.lastCheckedAt || now - Date.parse(r.lastCheckedAt) > freshForMs))
    .map((r) => r.id);
}

/** Same-site monitor paths only: no open redirect. */
const safeBack = (back: unknown, fallback = "/monitor") => {
  const b = text(back);
  return b.startsWith("/monitor") && !b.startsWith("//") ? b : fallback;
};

export function withParams(path: string, params: Record<string, string | null>): string {
  const url = new URL(path, "http://obrasign.invalid");
  for (const [k, v] of Object.entries(params)) v === null ? url.searchParams.delete(k) : url.searchParams.set(k, v);
  return url.pathname + url.search;
}

function helpers(request: FastifyRequest) {
  const locale = localeOf(request);
  const m = monitorMessages(locale);
  return { locale, m, date: (iso: string | null | undefined) => formatDateTime(locale, iso), f: format, recordKindOf };
}

/** The "Monitor de assinaturas" pages: list, refresh with progress, envelope detail and its recipients. */
export const monitorPages: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/monitor", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const h = helpers(request);
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const filters = parseFilters(raw, h.m.invalidDate, h.locale);
    const page = await monitorPage(ctx, filters.query, localeOf(request));
    const jobId = filters.job;
    const settings = await getSignatureSettings(ctx);
    // A GET changes nothing: the page itself asks for the refresh with a POST once it has loaded.
    const loadRefresh = settings.refreshStatusOnLoad && !jobId ? staleIds(page.rows, ctx.clock.now().getTime()) : [];
    const job = jobId ? await refreshJobStatus(ctx, jobId) : null;
    const watch = page.rows.filter((r) => openStatuses.includes(r.status) || r.status === "queued").map((r) => r.id);
    const here = withParams(request.url, { job: null, notice: null, error: null });
    return renderPage(request, reply, `${views}/monitor.eta`, {
      ...h, filters, page, job, watch, here, loadRefresh,
      statuses: envelopeStatuses, processes,
      canSend: can(request.actor!, "envelopes:send"),
      refreshOnLoad: settings.refreshStatusOnLoad,
      notice: text(raw.notice), error: text(raw.error), counts: { done: text(raw.done), failed: text(raw.failed) },
      nextUrl: page.nextCursor ? withParams(here, { cursor: page.nextCursor }) : null,
      firstUrl: filters.cursor ? withParams(here, { cursor: null }) : null,
    });
  });

  /** htmx: the progress line, and fresh cells for the watched rows (out-of-band swaps), every second while the job runs. */
  app.get("/monitor/progress", { schema: { hide: true } }, async (request, reply) => {
    if (!request.actor) return reply.status(401).type("text/plain").send("");
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const jobId = text(raw.job);
    const job = uuidPattern.test(jobId) ? await refreshJobStatus(ctx, jobId) : null;
    if (!job) return reply.status(404).type("text/html").send("");
    const ids = text(raw.ids).split(",").filter((id) => uuidPattern.test(id)).slice(0, 200);
    const rows = await envelopesByIds(ctx, ids);
    return renderPage(request, reply, `${views}/progress.eta`, {
      ...helpers(request), job, rows, ids, here: safeBack(raw.back), canSend: can(request.actor, "envelopes:send"), oob: true,
    });
  });

  /** htmx, posted by the list once loaded when refresh-on-load is on: queues one job for the page's stale rows. */
  app.post("/monitor/refresh-on-load", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!request.actor) return reply.status(401).type("text/plain").send("");
    const form = request.body ?? {};
    const settings = await getSignatureSettings(ctx);
    const asked = text(form.ids).split(",").filter((id) => uuidPattern.test(id)).slice(0, pageSize);
    const watch = text(form.watch).split(",").filter((id) => uuidPattern.test(id)).slice(0, 200);
    const rows = settings.refreshStatusOnLoad ? await envelopesByIds(ctx, asked) : [];
    const stale = staleIds(rows, ctx.clock.now().getTime());
    let job = null;
    if (stale.length) {
      try {
        const { jobId } = await startRefreshJob(ctx, { ids: stale, origin: "page", dedupeKey: pageRefreshKey(ctx, stale) });
        job = await refreshJobStatus(ctx, jobId);
      } catch (error) {
        request.log.warn({ err: (error as Error).message }, "could not queue the refresh on load");
      }
    }
    return renderPage(request, reply, `${views}/progress.eta`, {
      ...helpers(request), job, rows: [], ids: watch, here: safeBack(form.back), loadRefresh: [], oob: false,
    });
  });

  app.post("/monitor/refresh", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const form = (request.body ?? {}) as Record<string, unknown>;
    const back = safeBack(form.back);
    if (text(form.scope) === "all") {
      const { jobId } = await startRefreshJob(ctx, { origin: "page" });
      return reply.redirect(withParams(back, { job: jobId, notice: null, error: null }), 303);
    }
    const ids = list(form.ids).filter((id) => uuidPattern.test(id)).slice(0, 1000);
    const known = await existingEnvelopeIds(ctx, ids);
    if (known.length === 0) return reply.redirect(withParams(back, { error: "noneSelected", job: null }), 303);
    const { jobId } = await startRefreshJob(ctx, { ids: known, origin: "page" });
    return reply.redirect(withParams(back, { job: jobId, notice: null, error: null }), 303);
  });

  bulkRoutes(app, (form) => safeBack(form.back), withParams);

  app.post("/monitor/envelopes/:id/refresh", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const id = request.params.id;
    const back = safeBack(request.body?.back, `/monitor/envelopes/${id}`);
    if (!uuidPattern.test(id) || (await existingEnvelopeIds(ctx, [id])).length === 0) return notFoundPage(request, reply);
    const { jobId } = await startRefreshJob(ctx, { ids: [id], origin: "page" });
    return reply.redirect(withParams(back, { job: jobId, notice: null, error: null }), 303);
  });

  app.get("/monitor/envelopes/:id", { schema: { hide: true, params: pathParams("id"), querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const raw = request.query;
    const jobId = text(raw.job);
    return showEnvelope(request, reply, request.params.id, {
      notice: text(raw.notice),
      job: uuidPattern.test(jobId) ? await refreshJobStatus(ctx, jobId) : null,
    });
  });

  /** The actions that change an envelope: send permission, then the command; errors come back on the envelope's page. */
  const actionParams = pathParams("id").extend({ recipientId: z.string().optional() });
  const action = (path: string, run: (request: FastifyRequest, id: string, form: Record<string, unknown>, params: z.infer<typeof actionParams>) => Promise<string>) =>
    app.post(path, { schema: { hide: true, params: actionParams, body: optionalForm } }, async (request, reply) => {
      if (!requirePageUser(request, reply)) return reply;
      const params = request.params;
      if (!uuidPattern.test(params.id)) return notFoundPage(request, reply);
      const form = request.body ?? {};
      const h = helpers(request);
      if (!can(request.actor!, "envelopes:send")) return showEnvelope(request, reply, params.id, { formError: h.m.forbidden }, 403);
      try {
        const notice = await run(request, params.id, form, params);
        const back = notice === "cancelled" ? safeBack(form.back, `/monitor/envelopes/${params.id}`) : `/monitor/envelopes/${params.id}`;
        return reply.redirect(withParams(back, { notice, job: null, error: null }), 303);
      } catch (error) {
        if (error instanceof ZodError) {
          return showEnvelope(request, reply, params.id, { fieldErrors: zodFields(error, localeOf(request)), values: form, formError: h.m.invalidFilter }, 400);
        }
        if (!(error instanceof AppError)) throw error;
        if (error.code === "not_found" && path.endsWith("/cancel")) return notFoundPage(request, reply);
        setRetryAfter(reply, error);
        return showEnvelope(request, reply, params.id, { fieldErrors: error.fieldsIn(localeOf(request)) ?? {}, values: form, formError: format(h.m.actionFailed, { message: error.messageIn(localeOf(request)) }) }, error.status);
      }
    });

  const meta = (request: FastifyRequest) => ({ ip: request.ip });

  action("/monitor/envelopes/:id/cancel", async (request, id) => {
    await cancelEnvelope(ctx, request.actor!, id, meta(request));
    return "cancelled";
  });
  action("/monitor/envelopes/:id/recipients", async (request, id, form) => {
    const order = text(form.order);
    await addRecipient(ctx, request.actor!, id, {
      name: text(form.name), email: text(form.email), action: text(form.action),
      ...(order ? { order: /^\d+$/.test(order) ? Number(order) : order } : {}),
      ...(text(form.cpf) ? { cpf: text(form.cpf) } : {}),
    }, meta(request));
    return "added";
  });
  action("/monitor/envelopes/:id/recipients/:recipientId/remove", async (request, id, _form, params) => {
    await removeRecipient(ctx, request.actor!, id, params.recipientId ?? "", meta(request));
    return "removed";
  });
  action("/monitor/envelopes/:id/recipients/:recipientId/resend", async (request, id, _form, params) => {
    await resendToRecipient(ctx, request.actor!, id, params.recipientId ?? "", meta(request));
    return "resent";
  });

  function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
    const h = helpers(request);
    reply.status(404);
    return renderPage(request, reply, `${views}/not-found.eta`, { ...h });
  }

  async function showEnvelope(request: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown> = {}, status = 200) {
    if (!uuidPattern.test(id)) return notFoundPage(request, reply);
    let envelope;
    try {
      envelope = localizeFailures(await getEnvelope(ctx, id), localeOf(request));
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") return notFoundPage(request, reply);
      throw error;
    }
    const numbers = await recordNumbers(ctx, [envelope]);
    const project = (await getRecord(ctx, "projects", envelope.projectId).catch(() => null)) as { code: string; name: string } | null;
    reply.status(status);
    return renderPage(request, reply, `${views}/envelope.eta`, {
      ...helpers(request), envelope, recordNumber: numbers.get(envelope.recordId) ?? null,
      recordKind: recordKindOf[envelope.process as Process], projectLabel: project ? `${project.code} · ${project.name}` : null,
      canSend: can(request.actor!, "envelopes:send"), here: `/monitor/envelopes/${id}`,
      fieldErrors: {}, values: {}, ...extra,
    });
  }
};
