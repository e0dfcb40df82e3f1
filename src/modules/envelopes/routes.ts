import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { idField } from "../../platform/validation/fields.js";
import { cancelEnvelope } from "./commands/cancel-envelope.js";
import { addRecipient, removeRecipient } from "./commands/change-recipients.js";
import { createEnvelope } from "./commands/create-envelope.js";
import { refreshEnvelope } from "./commands/refresh-envelope.js";
import { retryEnvelope } from "./commands/retry-envelope.js";
import { resendToRecipient } from "./commands/resend-to-recipient.js";
import type { IncomingFile } from "./files.js";
import { maxEnvelopeBytes } from "./files.js";
import { envelopeFiles, getEnvelope, getEnvelopeRow, listEnvelopes } from "./queries.js";
import { envelopeCreate, envelopeListQuery, recipientInput } from "./schemas.js";
import { readEnvelopeFile } from "./stored-files.js";
import { localizeFailures } from "./presenters.js";
import "./jobs/send-envelope.js";
import { envelopeExportQuery, exportEnvelopes } from "./export.js";
import { localeOf } from "../../platform/i18n/index.js";

declare module "fastify" {
  interface FastifyRequest {
    uploads?: IncomingFile[];
  }
}

const idParams = z.strictObject({ id: idField });
const recipientParams = z.strictObject({ id: idField, recipientId: idField });
const tags = ["envelopes"];

/**
 * multipart/form-data: a JSON part named `envelope` (as text, as
 * `application/json`, or as a file) and one or more `file` parts. Read
 * before validation, so the same zod schema checks both forms.
 */
async function readMultipart(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  let envelope: unknown = undefined;
  const files: IncomingFile[] = [];
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === "file" && part.fieldname === "envelope") {
      // `curl -F envelope=@envelope.json`: the JSON part sent as a file.
      const bytes = await part.toBuffer();
      if (bytes.length > maxEnvelopeJsonBytes) throw new AppError("too_large", "envelope: the JSON part is larger than 1 MB");
      envelope = parseEnvelopePart(bytes.toString("utf8"));
    } else if (part.type === "file") {
      if (part.fieldname !== "file") throw new AppError("validation", `${part.fieldname}: unknown file part (use "file")`, { [part.fieldname]: "unknown file part" });
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new AppError("too_large", "A file is larger than 10 MB");
      total += bytes.length;
      if (total > maxEnvelopeBytes) throw new AppError("too_large", "The files add up to more than 10 MB; an envelope takes at most 10 MB");
      files.push({ name: part.filename || `documento-${files.length + 1}.pdf`, bytes: new Uint8Array(bytes) });
    } else if (part.fieldname === "envelope") {
      // Sent with `Content-Type: application/json` (curl's `;type=application/json`, Python requests,
      // most HTTP libraries), the plugin has parsed the part already; as plain text, it has not.
      envelope = typeof part.value === "string" ? parseEnvelopePart(part.value) : part.value;
    } else {
      throw new AppError("validation", `${part.fieldname}: unknown part (send the fields as JSON in "envelope")`, { [part.fieldname]: "unknown part" });
    }
  }
  if (envelope === undefined) throw new AppError("validation", "envelope: the JSON part is required", { envelope: "is required" });
  request.body = envelope;
  request.uploads = files;
}

const maxEnvelopeJsonBytes = 1024 * 1024;

function parseEnvelopePart(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation", "envelope: must be JSON", { envelope: "must be JSON" }, {
      "pt-BR": "envelope: deve ser JSON",
      en: "envelope: must be JSON",
    });
  }
}

const meta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers["user-agent"] ?? null });

export const envelopeRoutes: RouteModule = (app) => {
  const read = { permission: "envelopes:read" as const };
  const send = { permission: "envelopes:send" as const };

  app.post("/api/envelopes", {
    config: send,
    preValidation: readMultipart,
    schema: { tags, summary: "Send a document for signature (JSON for a process report, or multipart with PDF files)", body: envelopeCreate },
  }, async (request, reply) => {
    const envelope = await createEnvelope(app.ctx, request.actor!, request.body, request.uploads ?? [], meta(request));
    return reply.status(201).send(envelope);
  });

  app.get("/api/envelopes", { config: read, schema: { tags, querystring: envelopeListQuery } }, async (request) => {
    const page = await listEnvelopes(app.ctx, request.query);
    return { ...page, items: page.items.map((e) => localizeFailures(e, localeOf(request))) };
  });
  app.get("/api/envelopes/export", {
    config: read,
    schema: { tags, summary: "The filtered list as CSV or XLSX (the list's filters; streamed, every page)", querystring: envelopeExportQuery },
  }, async (request, reply) => {
    const { stream, contentType, fileName } = exportEnvelopes(app.ctx, request.query, localeOf(request));
    return reply.type(contentType).header("content-disposition", `attachment; filename="${fileName}"`).header("cache-control", "no-store").send(stream);
  });
  app.get("/api/envelopes/:id", { config: read, schema: { tags, params: idParams } }, async (request) =>
    localizeFailures(await getEnvelope(app.ctx, request.params.id), localeOf(request)));
  app.delete("/api/envelopes/:id", { config: send, schema: { tags, summary: "Cancel (withdraw at the provider)", params: idParams } }, async (request) =>
    cancelEnvelope(app.ctx, request.actor!, request.params.id, meta(request)),
  );
  app.post("/api/envelopes/:id/retry", { config: send, schema: { tags, summary: "Send a failed envelope again", params: idParams } }, async (request) =>
    retryEnvelope(app.ctx, request.actor!, request.params.id, meta(request)),
  );
  app.post("/api/envelopes/:id/refresh", { config: read, schema: { tags, summary: "Ask the provider for the current status", params: idParams } }, async (request) =>
    refreshEnvelope(app.ctx, request.params.id),
  );
  app.post("/api/envelopes/:id/recipients", { config: send, schema: { tags, params: idParams, body: recipientInput } }, async (request, reply) =>
    reply.status(201).send(await addRecipient(app.ctx, request.actor!, request.params.id, request.body, meta(request))),
  );
  app.delete("/api/envelopes/:id/recipients/:recipientId", { config: send, schema: { tags, params: recipientParams } }, async (request) => {
    const params = request.params;
    return removeRecipient(app.ctx, request.actor!, params.id, params.recipientId, meta(request));
  });

  app.post("/api/envelopes/:id/recipients/:recipientId/resend", { config: send, schema: { tags, summary: "Notify a pending recipient again (only one whose turn has come)", params: recipientParams } }, async (request) => {
    const params = request.params;
    await resendToRecipient(app.ctx, request.actor!, params.id, params.recipientId, meta(request));
    return getEnvelope(app.ctx, params.id);
  });

  app.get("/api/envelopes/:id/files/:kind", {
    config: read,
    schema: { tags, summary: "Download the original or signed PDF", params: z.strictObject({ id: idField, kind: z.enum(["original", "signed"]) }), querystring: z.strictObject({ file: z.coerce.number().int().min(0).default(0) }) },
  }, async (request, reply) => {
    const { id, kind } = request.params;
    const envelope = await getEnvelopeRow(app.ctx.db, id);
    const files = await envelopeFiles(app.ctx.db, id, kind);
    const file = files[request.query.file];
    if (!file) {
      if (kind === "signed") throw new AppError("conflict", `The envelope is ${envelope.status}: there is no signed file yet`);
      throw new AppError("not_found", "No such file");
    }
    const bytes = await readEnvelopeFile(app.ctx, id, file.sha256);
    return reply
      .type("application/pdf")
      .header("content-disposition", `attachment; filename="${file.name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .header("x-content-sha256", file.sha256)
      .send(Buffer.from(bytes));
  });
};
