import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { sendErrorPage, setRetryAfter, zodFields } from "../../platform/http/errors.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";
import { sessionCookie, type RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { changeOwnPassword, updateOwnAccount } from "./commands/account.js";
import { acceptInvitation } from "./commands/invitations.js";
import { sessionLifetimeMs } from "./commands/sign-in.js";
import { authMessages } from "./messages.js";
import { requirePageUser } from "./pages.js";
import { findUserById } from "./queries.js";

const field = (body: Record<string, unknown> | undefined, name: string) => (typeof body?.[name] === "string" ? (body[name] as string) : "");

function setSession(request: FastifyRequest, reply: FastifyReply, secret: string) {
  reply.setCookie(sessionCookie, secret, { path: "/", httpOnly: true, sameSite: "lax", secure: request.protocol === "https", maxAge: sessionLifetimeMs / 1000 });
}

async function showAccount(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const user = await findUserById(request.server.ctx, request.actor!.kind === "user" ? request.actor!.id : "");
  if (!user) return sendErrorPage(request, reply, { status: 404, message: { "pt-BR": "Só uma pessoa tem uma conta própria.", en: "Only a person has an account of their own" } });
  const query = (request.query ?? {}) as Record<string, unknown>;
  return renderPage(request, reply, "/modules/auth/views/account.eta", {
    a: authMessages(localeOf(request)), user, hasPassword: user.password_hash !== null, errors: {}, values: { name: user.name, locale: user.locale ?? "" },
    saved: query.saved === "1", passwordChanged: query.password === "1", ...extra,
  });
}

/** `/account` (one's own name, language and password) and `/invite/{token}` (an invitation's link). */
export const accountPages: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/account", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    return showAccount(request, reply);
  });

  app.post("/account", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const locale = field(request.body, "locale");
    const values = { name: field(request.body, "name").trim(), locale: locale === "en" || locale === "pt-BR" ? (locale as "en" | "pt-BR") : null };
    try {
      await updateOwnAccount(ctx, request.actor!, values);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      reply.status(400);
      return showAccount(request, reply, { values, errors: zodFields(error, localeOf(request)), formError: authMessages(localeOf(request)).fixErrors });
    }
    // The header's switch and the account agree from now on.
    if (values.locale) reply.setCookie("lang", values.locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });
    else reply.clearCookie("lang", { path: "/" });
    return reply.redirect("/account?saved=1", 303);
  });

  app.post("/account/password", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const input = { current: field(request.body, "current"), password: field(request.body, "password"), confirm: field(request.body, "confirm") };
    try {
      const { secret } = await changeOwnPassword(ctx, request.actor!, input, { ip: request.ip, userAgent: request.headers["user-agent"] });
      setSession(request, reply, secret);
    } catch (error) {
      const locale = localeOf(request);
      const a = authMessages(locale);
      if (error instanceof ZodError) return showAccount(request, reply.status(400), { passwordErrors: zodFields(error, locale), passwordError: a.fixErrors });
      if (error instanceof AppError) {
        setRetryAfter(reply, error);
        return showAccount(request, reply.status(error.status), { passwordErrors: error.fieldsIn(locale) ?? {}, passwordError: error.messageIn(locale) });
      }
      throw error;
    }
    return reply.redirect("/account?password=1", 303);
  });

  app.get("/invite/:token", { schema: { hide: true, params: pathParams("token") } }, async (request, reply) => {
    reply.header("referrer-policy", "no-referrer").header("cache-control", "private, no-store");
    try {
      const { secret } = await acceptInvitation(ctx, request.params.token, { ip: request.ip, userAgent: request.headers["user-agent"] });
      setSession(request, reply, secret);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "not_found") throw error;
      return sendErrorPage(request, reply, { status: 404, message: error.text ?? error.message });
    }
    return reply.redirect("/account?welcome=1", 303);
  });
};
