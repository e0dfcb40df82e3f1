import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import type { FastifyReply, FastifyRequest } from "fastify";
import { csrfFieldName, csrfTokenFor } from "../http/security.js";
import { localDateTime } from "../i18n/formatters.js";
import { format, localeOf, messages } from "../i18n/index.js";

const srcRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Templates live beside their module (src/modules/<m>/views); the layout here. Eta escapes output by default. */
const eta = new Eta({ views: srcRoot, autoEscape: true, cache: process.env.NODE_ENV !== "development" });

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * What every template gets to protect its forms against CSRF (decision 012):
 * - `<%~ it.csrfField() %>` inside every `<form method="post">`;
 * - `action="<%= it.withCsrf(url) %>"` instead, on a multipart form (its body is read by the route);
 * - htmx requests need nothing: the layout's `<meta name="csrf-token">` and `/assets/app.js` add the header.
 */
function csrfHelpers(request: FastifyRequest, reply: FastifyReply) {
  const token = csrfTokenFor(request, reply);
  return {
    csrfToken: token,
    csrfField: () => `<input type="hidden" name="${csrfFieldName}" value="${escapeAttribute(token)}">`,
    withCsrf: (url: string) => `${url}${url.includes("?") ? "&" : "?"}${csrfFieldName}=${encodeURIComponent(token)}`,
  };
}

export function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const t = messages(locale);
  const html = eta.render(template, { ...data, ...csrfHelpers(request, reply), t, locale, fmt: format, when: (iso: string | null | undefined) => localDateTime(locale, iso), actor: request.actor, path: request.url });
  return reply.type("text/html; charset=utf-8").header("content-language", locale).send(html);
}

export const stylesheet = readFileSync(join(srcRoot, "platform", "views", "assets", "app.css"), "utf8");
/** The pages' own script: CSRF header for htmx, and the small behaviours inline handlers used to carry (CSP forbids those). */
export const pageScript = readFileSync(join(srcRoot, "platform", "views", "assets", "app.js"), "utf8");
export const favicon = readFileSync(join(srcRoot, "platform", "views", "assets", "favicon.svg"), "utf8");
