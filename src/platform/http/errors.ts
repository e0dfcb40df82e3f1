import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { ZodError } from "zod";
import { AppError, errorStatus } from "../errors.js";
import { refusePage } from "./security.js";
import { localeOf } from "../i18n/index.js";

function fieldPath(path: ReadonlyArray<PropertyKey> | string | undefined): string {
  if (typeof path === "string") return path.replace(/^\//, "").replace(/\//g, ".");
  return (path ?? []).map(String).join(".");
}

export function zodFields(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    let path = fieldPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[path ? `${path}.${key}` : key] = "unknown field";
      continue;
    }
    fields[path || "body"] ??= issue.message;
  }
  return fields;
}

function describe(fields: Record<string, string>): string {
  return Object.entries(fields)
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
}

/** The one place where errors become HTTP answers: `{ error: { code, message, fields? } }`. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.status(error.status).send({ error: { code: error.code, message: error.messageIn(localeOf(request)), ...(error.fields ? { fields: error.fields } : {}) } });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields: Record<string, string> = {};
    const where = (error as FastifyError).validationContext ?? "body";
    for (const v of error.validation) {
      const base = fieldPath(v.instancePath);
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === "unrecognized_keys" && keys) {
        for (const key of keys) fields[base ? `${base}.${key}` : key] = "unknown field";
      } else {
        fields[base || where] ??= v.message ?? "invalid";
      }
    }
    return reply.status(400).send({ error: { code: "validation", message: describe(fields), fields } });
  }
  if (error instanceof ZodError) {
    const fields = zodFields(error);
    return reply.status(400).send({ error: { code: "validation", message: describe(fields), fields } });
  }
  const fastifyError = error as FastifyError;
  // A page form or htmx request without a valid CSRF token (an old tab, or another site's page).
  if (fastifyError.code === "FST_CSRF_INVALID_TOKEN" || fastifyError.code === "FST_CSRF_MISSING_SECRET") return refusePage(request, reply);
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE" || fastifyError.code === "FST_REQ_FILE_TOO_LARGE" || fastifyError.code === "FST_FILES_LIMIT") {
    return reply.status(413).send({ error: { code: "too_large", message: "The request is too large" } });
  }
  if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || fastifyError.code === "FST_INVALID_MULTIPART_CONTENT_TYPE") {
    return reply.status(415).send({ error: { code: "unsupported_media_type", message: "Unsupported content type" } });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    const status = fastifyError.statusCode;
    const code = (Object.entries(errorStatus).find(([, s]) => s === status)?.[0] ?? "validation") as keyof typeof errorStatus;
    return reply.status(status).send({ error: { code, message: fastifyError.message } });
  }
  request.log.error({ err: error }, "unhandled error");
  return reply.status(500).send({ error: { code: "internal", message: `Internal error (request ${request.id})` } });
}
