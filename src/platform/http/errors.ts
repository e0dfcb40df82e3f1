import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { z, ZodError } from "zod";
import { AppError, errorStatus, type ErrorCode } from "../errors.js";
import { localeOf, type Locale } from "../i18n/index.js";
import { translatePhrase } from "../i18n/phrases.js";
import { catalogue, type Text } from "../i18n/text.js";
import { renderPage } from "../views/render.js";
import { refusePage } from "./security.js";

export const httpMessages = catalogue(
  {
    tooLarge: "O envio é grande demais (o limite é 10 MB).",
    unsupportedMedia: "Tipo de conteúdo não aceito.",
    internal: "Erro interno (pedido {id}). Tente de novo; se persistir, informe este número ao suporte.",
    noRoute: "Página não encontrada: {method} {path}",
    authRequired: "É preciso entrar: envie Authorization: Bearer <token> ou faça login.",
  },
  {
    tooLarge: "The request is too large (the limit is 10 MB).",
    unsupportedMedia: "Unsupported content type",
    internal: "Internal error (request {id})",
    noRoute: "No route {method} {path}",
    authRequired: "Authentication required: send Authorization: Bearer <token> or sign in",
  },
);

/**
 * The language of an error answer: the reader's, as for pages (the header's
 * switch, the account, then Accept-Language; pt-BR first). An API client
 * that wants English sends `Accept-Language: en`.
 */
export const answerLocale = (request: FastifyRequest): Locale => localeOf(request);

/** A browser asking for a page (not the API, not a script's fetch) gets an HTML page for its errors. */
export function wantsPage(request: FastifyRequest): boolean {
  if (request.url.startsWith("/api/") || request.headers["hx-request"]) return false;
  return String(request.headers.accept ?? "").includes("text/html");
}

const zodLocales: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = { "pt-BR": z.locales.ptBR, en: z.locales.en };

/** A zod issue's message in the reader's language: the schema's own phrase, or zod's wording for its defaults. */
function issueMessage(issue: z.core.$ZodIssue, message: string, locale: Locale): string {
  if (locale === "en") return message;
  const translated = translatePhrase(message, locale);
  if (translated !== message) return translated;
  const english = zodLocales.en().localeError(issue as never);
  const englishText = typeof english === "string" ? english : english?.message;
  if (englishText !== message) return message;
  const local = zodLocales[locale]().localeError(issue as never);
  return (typeof local === "string" ? local : local?.message) ?? message;
}

function fieldPath(path: ReadonlyArray<PropertyKey> | string | undefined): string {
  if (typeof path === "string") return path.replace(/^\//, "").replace(/\//g, ".");
  return (path ?? []).map(String).join(".");
}

export function zodFields(error: ZodError, locale: Locale = "en"): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = fieldPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[path ? `${path}.${key}` : key] = translatePhrase("unknown field", locale);
      continue;
    }
    fields[path || "body"] ??= issueMessage(issue, issue.message, locale);
  }
  return fields;
}

function describe(fields: Record<string, string>): string {
  return Object.entries(fields)
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
}

interface Answer {
  status: number;
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

function answerOf(error: FastifyError | Error, request: FastifyRequest, locale: Locale): Answer {
  if (error instanceof AppError) {
    const fields = error.fieldsIn(locale);
    return { status: error.status, code: error.code, message: error.messageIn(locale), ...(fields ? { fields } : {}) };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields: Record<string, string> = {};
    const where = (error as FastifyError).validationContext ?? "body";
    for (const v of error.validation) {
      const base = fieldPath(v.instancePath);
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === "unrecognized_keys" && keys) {
        for (const key of keys) fields[base ? `${base}.${key}` : key] = translatePhrase("unknown field", locale);
      } else {
        const issue = { code: v.keyword, path: [], message: v.message, ...(v.params as object) } as unknown as z.core.$ZodIssue;
        fields[base || where] ??= issueMessage(issue, v.message ?? "invalid", locale);
      }
    }
    return { status: 400, code: "validation", message: describe(fields), fields };
  }
  if (error instanceof ZodError) {
    const fields = zodFields(error, locale);
    return { status: 400, code: "validation", message: describe(fields), fields };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE" || fastifyError.code === "FST_REQ_FILE_TOO_LARGE" || fastifyError.code === "FST_FILES_LIMIT") {
    return { status: 413, code: "too_large", message: httpMessages("tooLarge")[locale] };
  }
  if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || fastifyError.code === "FST_INVALID_MULTIPART_CONTENT_TYPE") {
    return { status: 415, code: "unsupported_media_type", message: httpMessages("unsupportedMedia")[locale] };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    const status = fastifyError.statusCode;
    const code = (Object.entries(errorStatus).find(([, s]) => s === status)?.[0] ?? "validation") as ErrorCode;
    return { status, code, message: fastifyError.message };
  }
  request.log.error({ err: error }, "unhandled error");
  return { status: 500, code: "internal", message: httpMessages("internal", { id: request.id })[locale] };
}

/** An error as a page in the site's frame: the title says what happened, the text what to do. */
export function sendErrorPage(request: FastifyRequest, reply: FastifyReply, answer: { status: number; message: string | Text; fields?: Record<string, string> }) {
  const locale = localeOf(request);
  const message = typeof answer.message === "string" ? answer.message : answer.message[locale];
  reply.status(answer.status);
  return renderPage(request, reply, "/platform/views/error.eta", { status: answer.status, message, fields: answer.fields ?? null });
}

/** A throttle's refusal tells when to ask again; pages that answer an AppError themselves call this too. */
export function setRetryAfter(reply: FastifyReply, error: unknown): void {
  if (error instanceof AppError && error.retryAfterSeconds) reply.header("retry-after", String(error.retryAfterSeconds));
}

/** The one place where errors become HTTP answers: `{ error: { code, message, fields? } }`, or a page for a browser. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  // A page form or htmx request without a valid CSRF token (an old tab, or another site's page).
  const csrf = (error as FastifyError).code;
  if (csrf === "FST_CSRF_INVALID_TOKEN" || csrf === "FST_CSRF_MISSING_SECRET") return refusePage(request, reply);
  setRetryAfter(reply, error);
  const page = wantsPage(request);
  const answer = answerOf(error, request, page ? localeOf(request) : answerLocale(request));
  if (page && answer.status === 401) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  if (page) return sendErrorPage(request, reply, answer);
  const { status, ...body } = answer;
  return reply.status(status).send({ error: body });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const values = { method: request.method, path: request.url.split("?")[0]! };
  if (wantsPage(request)) return sendErrorPage(request, reply, { status: 404, message: httpMessages("noRoute", values) });
  return reply.status(404).send({ error: { code: "not_found", message: httpMessages("noRoute", values)[answerLocale(request)] } });
}
