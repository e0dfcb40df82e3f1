import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import type { FastifyReply, FastifyRequest } from "fastify";
import { localDateTime } from "../i18n/formatters.js";
import { format, localeOf, messages } from "../i18n/index.js";

const srcRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Templates live beside their module (src/modules/<m>/views); the layout here. Eta escapes output by default. */
const eta = new Eta({ views: srcRoot, autoEscape: true, cache: process.env.NODE_ENV !== "development" });

export function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const t = messages(locale);
  const html = eta.render(template, { ...data, t, locale, fmt: format, when: (iso: string | null | undefined) => localDateTime(locale, iso), actor: request.actor, path: request.url });
  return reply.type("text/html; charset=utf-8").header("content-language", locale).send(html);
}

export const stylesheet = readFileSync(join(srcRoot, "platform", "views", "assets", "app.css"), "utf8");
export const favicon = readFileSync(join(srcRoot, "platform", "views", "assets", "favicon.svg"), "utf8");
