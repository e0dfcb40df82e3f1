import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import { sessionCookie, type RouteModule } from "../../platform/http/server.js";
import { localeOf, messages } from "../../platform/i18n/index.js";
import { favicon, pageScript, renderPage, stylesheet } from "../../platform/views/render.js";
import { sessionLifetimeMs, signIn, signOut } from "./commands/sign-in.js";
import { looseFields, optionalForm } from "../../platform/http/page-schemas.js";
import { sendErrorPage, setRetryAfter } from "../../platform/http/errors.js";
import { can, type Permission } from "./policies.js";

const htmx = readFileSync(createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js"), "utf8");

const nowhere = new URL("http://obrasign.invalid");

/**
 * The path to go to after sign-in, or "/" (no open redirect): only a path on
 * this site. Browsers read `\` as `/` and drop tabs and newlines, so `/\host`
 * and `/<tab>/host` would leave; the path is refused if it holds either, and
 * what is left must parse, against a placeholder origin, to that same origin.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  if (next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, nowhere);
  } catch {
    return "/";
  }
  return url.origin === nowhere.origin ? url.pathname + url.search + url.hash : "/";
}

export function requirePageUser(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor) return true;
  reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  return false;
}

/** Signed in and holding the permission, or the page that says why not (login, or a 403 page in the reader's language). */
export function requirePagePermission(request: FastifyRequest, reply: FastifyReply, permission: Permission): boolean {
  if (!requirePageUser(request, reply)) return false;
  if (request.actor && can(request.actor, permission)) return true;
  sendErrorPage(request, reply, { status: 403, message: { "pt-BR": "Seu papel não permite abrir esta página; peça a um administrador.", en: "Your role may not open this page; ask an administrator." } });
  return false;
}

export const authPages: RouteModule = (app) => {
  app.get("/assets/app.css", { schema: { hide: true } }, async (_req, reply) => reply.type("text/css").header("cache-control", "public, max-age=3600").send(stylesheet));
  app.get("/assets/app.js", { schema: { hide: true } }, async (_req, reply) => reply.type("text/javascript").header("cache-control", "public, max-age=3600").send(pageScript));
  app.get("/favicon.svg", { schema: { hide: true } }, async (_req, reply) => reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(favicon));
  // Browsers ask for /favicon.ico on pages that name no icon (the API docs, a PDF).
  app.get("/favicon.ico", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/favicon.svg", 301));
  app.get("/assets/htmx.min.js", { schema: { hide: true } }, async (_req, reply) => reply.type("text/javascript").header("cache-control", "public, max-age=86400").send(htmx));

  app.get("/login", { schema: { hide: true, querystring: looseFields } }, async (request, reply) =>
    renderPage(request, reply, "/modules/auth/views/login.eta", { next: safeNext(request.query.next) }),
  );

  app.post("/login", { schema: { hide: true } }, async (request, reply) => {
    const body = z.object({ email: z.string().default(""), password: z.string().default(""), next: z.string().optional() }).parse(request.body ?? {});
    try {
      const { secret } = await signIn(app.ctx, { email: body.email, password: body.password, ip: request.ip, userAgent: request.headers["user-agent"] });
      reply.setCookie(sessionCookie, secret, {
        path: "/", httpOnly: true, sameSite: "lax", secure: request.protocol === "https", maxAge: sessionLifetimeMs / 1000,
      });
      return reply.redirect(safeNext(body.next));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Locked (429, with Retry-After): the throttle's message says for how long; otherwise one message for every wrong pair.
      const locked = error.code === "rate_limited";
      setRetryAfter(reply, error);
      reply.status(locked ? 429 : 401);
      const message = locked ? error.messageIn(localeOf(request)) : messages(localeOf(request)).wrongCredentials;
      return renderPage(request, reply, "/modules/auth/views/login.eta", { error: message, email: body.email, next: safeNext(body.next) });
    }
  });

  app.post("/logout", { schema: { hide: true } }, async (request, reply) => {
    const secret = request.cookies[sessionCookie];
    if (secret) await signOut(app.ctx, secret);
    reply.clearCookie(sessionCookie, { path: "/" });
    return reply.redirect("/login");
  });

  app.post("/language", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    const lang = request.body?.lang === "en" ? "en" : "pt-BR";
    reply.setCookie("lang", lang, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });
    const back = pathOfReferer(request.headers.referer);
    return reply.redirect(safeNext(back));
  });

  // The projects list (src/modules/web) is the home page.
  app.get("/", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    return reply.redirect("/projects");
  });
};

/** Where the language switch came from; an unparsable or foreign Referer goes home. */
function pathOfReferer(referer: string | undefined): string {
  if (!referer) return "/";
  try {
    return new URL(referer).pathname;
  } catch {
    return "/";
  }
}
