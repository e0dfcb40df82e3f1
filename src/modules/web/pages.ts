import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { allowedMoves } from "../records/lifecycles.js";
import { transitionRecord } from "../records/commands/transition-record.js";
import { webMessages } from "./messages.js";
import { isId, renderNotice, renderWeb, setFlash, takeFlash, type Flash } from "./page-kit.js";
import { isPageKind, projectsOverview, projectView, recordView, type PageKind } from "./queries.js";
import { statusLabel } from "./view-helpers.js";
import { optionalForm, pathParams } from "../../platform/http/page-schemas.js";

type RecordParams = { kind: string; id: string };

/** Unknown kinds, malformed ids and missing records all answer the same 404 page. */
function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
  const w = webMessages(localeOf(request));
  const notFound = localeOf(request) === "en" ? "Not found" : "Não encontrado";
  const message = localeOf(request) === "en" ? "This page does not exist, or the record was removed." : "Esta página não existe ou o registro foi removido.";
  return renderNotice(request, reply, 404, notFound, message, { href: "/projects", label: w.projects });
}

async function withRecord<T>(request: FastifyRequest, reply: FastifyReply, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      await notFoundPage(request, reply);
      return null;
    }
    throw error;
  }
}

export async function showRecord(request: FastifyRequest, reply: FastifyReply, kind: PageKind, id: string, extra: { refused?: string; flash?: Flash | null } = {}) {
  const view = await withRecord(request, reply, () => recordView(request.server.ctx, kind, id));
  if (!view) return reply;
  const actor = request.actor!;
  const w = webMessages(localeOf(request));
  const flash = extra.flash === undefined ? takeFlash(request, reply) : extra.flash;
  const flashText = !flash ? null : flash.key === "sent" ? w.sent : w.moved.replace("{status}", statusLabel(w, kind, flash.status));
  return renderWeb(request, reply, "record", {
    ...view,
    title: `${w.kinds[kind]} ${view.record.number}`,
    moves: allowedMoves(kind, view.record.status),
    canMove: can(actor, "records:write"),
    canSend: can(actor, "envelopes:send"),
    flash: flashText,
    refused: extra.refused,
  });
}

/** Projects, a project's contracts, and each record's page with its lifecycle and envelopes. */
export const webPages: RouteModule = (app) => {
  app.get("/projects", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    return renderWeb(request, reply, "projects", { projects: await projectsOverview(app.ctx) });
  });

  app.get("/projects/:id", { schema: { hide: true, params: pathParams("id") } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const { id } = request.params;
    if (!isId(id)) return notFoundPage(request, reply);
    const view = await withRecord(request, reply, () => projectView(app.ctx, id));
    if (!view) return reply;
    return renderWeb(request, reply, "project", { ...view, title: view.project.name });
  });

  app.get("/records/:kind/:id", { schema: { hide: true, params: pathParams("kind", "id") } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const { kind, id } = request.params;
    if (!isPageKind(kind) || !isId(id)) return notFoundPage(request, reply);
    return showRecord(request, reply, kind, id);
  });

  // A transition button: POST, then back to the page (303), or the page again with the refusal (409).
  app.post("/records/:kind/:id/transitions", { schema: { hide: true, params: pathParams("kind", "id"), body: optionalForm } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const { kind, id } = request.params;
    if (!isPageKind(kind) || !isId(id)) return notFoundPage(request, reply);
    const w = webMessages(localeOf(request));
    if (!can(request.actor!, "records:write")) return renderNotice(request, reply, 403, w.forbidden, w.movesReadOnly, { href: `/records/${kind}/${id}`, label: w.back });
    const to = String(request.body?.to ?? "");
    try {
      await transitionRecord(app.ctx, request.actor!, kind, id, to);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "not_found") return notFoundPage(request, reply);
      reply.status(error.status);
      return showRecord(request, reply, kind, id, { refused: error.messageIn(localeOf(request)), flash: null });
    }
    setFlash(reply, { key: "moved", status: to });
    return reply.redirect(`/records/${kind}/${id}`, 303);
  });
};
