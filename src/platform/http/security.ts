import csrfProtection from "@fastify/csrf-protection";
import helmet from "@fastify/helmet";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { localeOf, messages } from "../i18n/index.js";
import { sessionCookie } from "./session-cookie.js";

/**
 * Browser-facing defences (decision 012): security headers, `Cache-Control`,
 * and cross-site request forgery.
 *
 * CSRF, for requests a browser's cookie authenticates (Bearer requests are
 * not affected, nor the public signing, verification and provider APIs):
 * - every state change must not come from another origin (`Sec-Fetch-Site`,
 *   else `Origin`, compared with the site's origin);
 * - page routes (HTML forms, htmx) also need the CSRF token of
 *   `@fastify/csrf-protection`, bound to the session: forms carry it as a
 *   hidden field (`it.csrfField()` in a template), htmx as the `x-csrf-token`
 *   header (`/assets/app.js` reads it from `<meta name="csrf-token">`);
 * - `/api` routes take a cookie only with a same-origin `Origin` or
 *   `Sec-Fetch-Site` and a JSON body (no form or text body crosses origins
 *   without a CORS preflight, which this server never grants).
 */
export const csrfFieldName = "_csrf";
export const csrfHeaderName = "x-csrf-token";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** How a request proved who it is: by Bearer token, by session cookie, or not at all. */
export type CredentialKind = "bearer" | "session" | null;

declare module "fastify" {
  interface FastifyRequest {
    credentials: CredentialKind;
  }
}

/** The session secret the CSRF token is bound to ("anonymous" before sign-in): a token from one session fails in another. */
export const csrfUserInfo = (request: FastifyRequest): string => request.cookies?.[sessionCookie] || "anonymous";

/** A fresh CSRF token for the page being rendered (the secret cookie is set on first use). */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: csrfUserInfo(request), secure: request.protocol === "https" } as never);
}

type Origin = "same" | "cross" | "unknown";

/** Where the request comes from, as the browser tells it. */
export function requestOrigin(request: FastifyRequest, siteOrigin: string): Origin {
  const site = request.headers["sec-fetch-site"];
  if (site === "same-origin") return "same";
  if (site === "same-site" || site === "cross-site") return "cross";
  const origin = request.headers.origin;
  if (typeof origin !== "string") return "unknown";
  return origin === siteOrigin || origin === `${request.protocol}://${request.host}` ? "same" : "cross";
}

const bodyOf = (request: FastifyRequest) =>
  Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"] !== undefined;
const mediaType = (request: FastifyRequest) => String(request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();

export function refusePage(request: FastifyRequest, reply: FastifyReply) {
  const t = messages(localeOf(request));
  const html = `<!doctype html><html lang="${localeOf(request)}"><head><meta charset="utf-8"><title>obrasign</title><link rel="stylesheet" href="/assets/app.css"></head>` +
    `<body><main id="main"><section class="card narrow"><h1>${t.requestRefusedTitle}</h1><p>${t.requestRefused}</p><p><a href="/">${t.home}</a></p></section></main></body></html>`;
  return reply.status(403).type("text/html; charset=utf-8").send(html);
}

export interface SecurityOptions {
  /** Paths answered without an account: a cookie is never read there. */
  isPublicApi(path: string): boolean;
}

/** Headers on every answer, the 401 of a missing credential included: registered before any hook can reply. */
export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Templates keep a few style attributes and <style> blocks; scripts are what CSP must lock.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Browsers ignore HSTS over http; it is sent over https only (below).
    strictTransportSecurity: false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });

  app.addHook("onSend", async (request, reply) => {
    if (request.protocol === "https") reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    // Pages, the outbox, downloads and the signing API carry what others must not read from a cache: nothing
    // is stored unless a route says otherwise (the static assets do).
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });
}

/** The CSRF checks; registered after the hook that tells who the caller is (`request.credentials`). */
export async function registerCsrf(app: FastifyInstance, ctx: AppContext, options: SecurityOptions) {
  const siteOrigin = new URL(ctx.config.publicUrl).origin;

  await app.register(csrfProtection, {
    sessionPlugin: "@fastify/cookie",
    cookieKey: csrfFieldName,
    cookieOpts: { path: "/", sameSite: "strict", httpOnly: true },
    csrfOpts: { hmacKey: ctx.secrets.mac("csrf-protection") },
    getUserInfo: csrfUserInfo,
    getToken: (request) => {
      const header = request.headers[csrfHeaderName];
      if (typeof header === "string" && header) return header;
      const body = request.body as Record<string, unknown> | null | undefined;
      if (body && typeof body === "object" && typeof body[csrfFieldName] === "string") return body[csrfFieldName] as string;
      // Multipart forms: the body is read by the route, so the token rides in the action's query (withCsrf).
      return String((request.query as Record<string, unknown> | undefined)?.[csrfFieldName] ?? "");
    },
  });

  // Origin and media type: before anything else reads the request.
  app.addHook("onRequest", async (request, reply) => {
    if (!unsafeMethods.has(request.method)) return;
    const path = request.url.split("?")[0]!;
    if (path.startsWith("/api/")) {
      if (options.isPublicApi(path)) return;
      // Forms are a page's business: the API reads JSON (and multipart uploads).
      if (mediaType(request) === "application/x-www-form-urlencoded") {
        return reply.status(415).send({ error: { code: "unsupported_media_type", message: "The API takes application/json (or multipart/form-data for files)" } });
      }
      if (request.credentials !== "session") return;
      if (requestOrigin(request, siteOrigin) !== "same") {
        return reply.status(403).send({ error: { code: "forbidden", message: "A browser session may call the API only from this site's own pages; other clients send Authorization: Bearer <token>" } });
      }
      if (bodyOf(request) && mediaType(request) !== "application/json") {
        return reply.status(415).send({ error: { code: "unsupported_media_type", message: "With a browser session the API takes application/json only; other clients send Authorization: Bearer <token>" } });
      }
      return;
    }
    if (request.credentials === "bearer") return;
    if (requestOrigin(request, siteOrigin) === "cross") return refusePage(request, reply);
  });

  // The token of page forms and htmx requests: once the body is parsed, before the route's permission check.
  app.addHook("preValidation", (request, reply, done) => {
    const path = request.url.split("?")[0]!;
    if (!unsafeMethods.has(request.method) || path.startsWith("/api/") || request.credentials === "bearer") return done();
    app.csrfProtection(request, reply, (error?: unknown) => {
      if (reply.sent) return;
      if (error) return done(error as Error);
      const body = request.body as Record<string, unknown> | null | undefined;
      if (body && typeof body === "object") delete body[csrfFieldName];
      done();
    });
  });
}
