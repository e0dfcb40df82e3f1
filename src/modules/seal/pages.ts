import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { sendErrorPage, zodFields } from "../../platform/http/errors.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";
import type { RouteModule } from "../../platform/http/server.js";
import { formatMoment } from "../../platform/i18n/dates.js";
import { format, localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePagePermission } from "../auth/pages.js";
import { installSealPfx, sealSummary } from "./identity-store.js";
import { sealPageMessages } from "./messages.js";
import { addTrustAnchors, listTrustAnchors, removeTrustAnchor } from "./trust-anchors.js";
import { anchorUpload, pfxUpload } from "./uploads.js";

const view = "/modules/seal/views/seal.eta";

async function show(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const ctx = request.server.ctx;
  const [seal, anchors] = await Promise.all([sealSummary(ctx), listTrustAnchors(ctx)]);
  const query = (request.query ?? {}) as Record<string, unknown>;
  return renderPage(request, reply, view, {
    s: sealPageMessages(locale), seal, anchors, date: (iso: string | null) => formatMoment(locale, iso),
    removed: query.removed === "1", errors: {}, ...extra,
  });
}

/**
 * A refused upload, in the reader's language: the message at the top and by
 * the field at fault (the commands name `file` or `certificate`). A form sent
 * without a file reads "choose the file", not the API's field phrase.
 */
function refusal(request: FastifyRequest, error: unknown, field: "file" | "certificate") {
  const locale = localeOf(request);
  const s = sealPageMessages(locale);
  if (error instanceof ZodError) return { status: 400, formError: s.fixErrors, errors: zodFields(error, locale) };
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  const missing = error.code === "validation" && error.fields?.[field] === "is required";
  const message = missing ? s.fileRequired : error.messageIn(locale);
  const fields = error.fieldsIn(locale) ?? {};
  return { status: error.status, formError: message, errors: { ...fields, [field]: missing ? s.fileRequired : (fields[field] ?? message) } };
}

/** `/settings/seal` (admin): the seal certificate in use, installing a .pfx, the trust anchors. Same commands as `/api/settings/seal`. */
export const sealPages: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/settings/seal", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    return show(request, reply);
  });

  // Multipart: the CSRF token rides in the action's query (it.withCsrf).
  app.post("/settings/seal", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    const locale = localeOf(request);
    try {
      const { pfx, password, pems } = await pfxUpload(request);
      const installed = await installSealPfx(ctx, request.actor!, pfx, password, pems, locale);
      reply.status(201);
      return show(request, reply, { notice: format(sealPageMessages(locale).installed, { subject: installed.subject }) });
    } catch (error) {
      const { status, formError, errors } = refusal(request, error, "file");
      reply.status(status);
      return show(request, reply, { installError: formError, errors });
    }
  });

  app.post("/settings/seal/anchors", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    const locale = localeOf(request);
    try {
      const added = await addTrustAnchors(ctx, await anchorUpload(request), "uploaded", locale);
      reply.status(201);
      return show(request, reply, { notice: format(sealPageMessages(locale).added, { subjects: added.map((a) => a.subject).join("; ") }) });
    } catch (error) {
      const { status, formError, errors } = refusal(request, error, "certificate");
      reply.status(status);
      return show(request, reply, { anchorError: formError, errors });
    }
  });

  app.post("/settings/seal/anchors/:id/remove", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    try {
      await removeTrustAnchor(ctx, request.params.id);
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") {
        return sendErrorPage(request, reply, { status: 404, message: { "pt-BR": sealPageMessages("pt-BR").anchorNotFound, en: sealPageMessages("en").anchorNotFound } });
      }
      throw error;
    }
    return reply.redirect("/settings/seal?removed=1", 303);
  });
};
