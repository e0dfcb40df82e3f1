import type { FastifyReply, FastifyRequest } from "fastify";
import { z, ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { zodFields } from "../../platform/http/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { looseFields } from "../../platform/http/page-schemas.js";
import { companyIdentity, maxLogoBytes, presentCompany, removeCompanyLogo, setCompanyLogo, updateCompanyBody, updateCompanyName } from "./identity.js";
import { companyMessages } from "./messages.js";

const tags = ["company"];
const companyView = z.object({ name: z.string().nullable(), logoUrl: z.string().nullable() });

/** The parts of a company form or logo upload: text fields and at most one `logo` file. */
async function readParts(request: FastifyRequest) {
  const fields: Record<string, string> = {};
  let logo: Uint8Array | null = null;
  for await (const part of request.parts({ limits: { fileSize: maxLogoBytes + 1, files: 1 } })) {
    if (part.type === "file") {
      if (part.fieldname !== "logo") throw new AppError("validation", `${part.fieldname}: unknown file part (use "logo")`, { [part.fieldname]: "unknown file part" });
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new AppError("too_large", "logo: at most 200 KB", { logo: "at most 200 KB" });
      if (bytes.length > 0) logo = new Uint8Array(bytes);
    } else fields[part.fieldname] = String(part.value);
  }
  return { fields, logo };
}

/** The company's name and logo: API for admins, the page "Empresa", and the public logo the mails and signing page show. */
export const companyRoutes: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/api/company", { config: { permission: "settings:read" }, schema: { tags, summary: "The company's name and logo address", response: { 200: companyView } } }, async () =>
    presentCompany(ctx, await companyIdentity(ctx)),
  );
  app.put("/api/company", { config: { permission: "settings:write" }, schema: { tags, summary: "Change the company's name", body: updateCompanyBody, response: { 200: companyView } } }, async (request) =>
    updateCompanyName(ctx, request.actor!, request.body),
  );
  app.put("/api/company/logo", { config: { permission: "settings:write" }, schema: { tags, summary: "Set the logo: multipart/form-data with a `logo` part (PNG or JPEG, at most 200 KB)", response: { 200: companyView } } }, async (request) => {
    if (!request.isMultipart()) throw new AppError("unsupported_media_type", "Send multipart/form-data with a logo part", { logo: "is required" });
    const { logo } = await readParts(request);
    if (!logo) throw new AppError("validation", "logo: is required", { logo: "is required" });
    return setCompanyLogo(ctx, request.actor!, logo);
  });
  app.delete("/api/company/logo", { config: { permission: "settings:write" }, schema: { tags, summary: "Remove the logo", response: { 200: companyView } } }, async (request) =>
    removeCompanyLogo(ctx, request.actor!),
  );

  // Public: recipients' mail programs and the signing page load it without signing in.
  app.get("/company/logo", { schema: { tags, summary: "The company's logo", security: [], querystring: looseFields } }, async (_request, reply) => {
    const { logo } = await companyIdentity(ctx);
    if (!logo) throw new AppError("not_found", "No logo is set");
    return reply.type(logo.type).header("cache-control", "public, max-age=86400").header("x-content-type-options", "nosniff").send(Buffer.from(await ctx.blobs.get(logo.sha256)));
  });

  const show = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const identity = await companyIdentity(ctx);
    return renderPage(request, reply, "/modules/company/views/company.eta", {
      c: companyMessages(localeOf(request)), company: presentCompany(ctx, identity), canWrite: can(request.actor!, "settings:write"), values: { name: identity.name ?? "" }, errors: {}, ...extra,
    });
  };

  app.get("/settings/company", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const c = companyMessages(localeOf(request));
    if (!can(request.actor!, "settings:read")) return reply.status(403).type("text/plain").send(c.forbidden);
    return show(request, reply, { saved: request.query.saved === "1" });
  });

  app.post("/settings/company", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const c = companyMessages(localeOf(request));
    if (!can(request.actor!, "settings:write")) return reply.status(403).type("text/plain").send(c.forbidden);
    let values: Record<string, string> = {};
    try {
      const { fields, logo } = request.isMultipart() ? await readParts(request) : { fields: (request.body ?? {}) as Record<string, string>, logo: null };
      values = fields;
      await updateCompanyName(ctx, request.actor!, { name: fields.name ?? "" });
      if (logo) await setCompanyLogo(ctx, request.actor!, logo);
      else if (fields.removeLogo === "on") await removeCompanyLogo(ctx, request.actor!);
    } catch (error) {
      const errors = error instanceof ZodError ? zodFields(error, localeOf(request)) : error instanceof AppError && error.fields ? error.fieldsIn(localeOf(request))! : null;
      if (!errors) throw error;
      reply.status(error instanceof AppError ? error.status : 400);
      return show(request, reply, { values: { name: values.name ?? "" }, errors, formError: c.fixErrors });
    }
    return reply.redirect("/settings/company?saved=1", 303);
  });
};
