import type { FastifyReply, FastifyRequest } from "fastify";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { webMessages } from "./messages.js";
import { statusTone, viewHelpers } from "./view-helpers.js";

const idPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (value: string) => idPattern.test(value);

/** Renders one of this module's views with its strings and formatters. */
export function renderWeb(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const w = webMessages(locale);
  return renderPage(request, reply, `/modules/web/views/${view}.eta`, { w, h: viewHelpers(locale, w), tone: statusTone, ...data });
}

/** A short page for "not found" and "forbidden", in the site's frame. */
export function renderNotice(request: FastifyRequest, reply: FastifyReply, status: 403 | 404, title: string, message: string, back?: { href: string; label: string }) {
  reply.status(status);
  return renderWeb(request, reply, "notice", { title, message, back });
}

// A one-shot message shown on the page a POST redirects to ("Enviado para assinatura").
// It is a key from a closed set, never free text, so nothing from a cookie reaches the page unescaped or unchecked.
const flashCookie = "obrasign_flash";
export type Flash = { key: "sent" } | { key: "moved"; status: string };

export function setFlash(reply: FastifyReply, flash: Flash) {
  const value = flash.key === "moved" ? `moved:${flash.status}` : flash.key;
  reply.setCookie(flashCookie, value, { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 });
}

export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const value = request.cookies?.[flashCookie];
  if (!value) return null;
  reply.clearCookie(flashCookie, { path: "/" });
  if (value === "sent") return { key: "sent" };
  const moved = /^moved:([a-z_]{1,30})$/.exec(value);
  return moved ? { key: "moved", status: moved[1]! } : null;
}
