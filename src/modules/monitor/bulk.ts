import archiver from "archiver";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../platform/errors.js";
import { uuidPattern } from "../../platform/ids.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { cancelEnvelope } from "../envelopes/commands/cancel-envelope.js";
import { resendToRecipient } from "../envelopes/commands/resend-to-recipient.js";
import { envelopeFiles, envelopesByIds, existingEnvelopeIds } from "../envelopes/queries.js";

const maxBulk = 200;
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const idsOf = (form: Record<string, unknown>) =>
  (Array.isArray(form.ids) ? form.ids : form.ids === undefined ? [] : [form.ids]).filter((x): x is string => typeof x === "string" && uuidPattern.test(x)).slice(0, maxBulk);

/** A name safe inside a zip, unique among the entries. */
function entryName(name: string, taken: Set<string>) {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").slice(0, 150) || "documento.pdf";
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = base.replace(/(\.pdf)?$/i, ` (${n})$1`);
  taken.add(candidate);
  return candidate;
}

/**
 * The monitor's bulk actions on the selected rows: cancel (with a reason,
 * kept in each envelope's history), resend to every recipient whose turn has
 * come, and download the signed PDFs as one zip. Each envelope goes through
 * the same command as the single action; one that cannot be changed is
 * counted and skipped, the others go on.
 */
export function bulkRoutes(app: FastifyInstance, back: (form: Record<string, unknown>) => string, withParams: (path: string, params: Record<string, string | null>) => string) {
  const ctx = app.ctx;

  const guarded = (run: (request: FastifyRequest, reply: FastifyReply, ids: string[], form: Record<string, unknown>) => Promise<unknown>, permission: "envelopes:send" | "envelopes:read") =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!requirePageUser(request, reply)) return reply;
      const form = (request.body ?? {}) as Record<string, unknown>;
      if (!can(request.actor!, permission)) return reply.redirect(withParams(back(form), { error: "forbidden", notice: null }), 303);
      const ids = await existingEnvelopeIds(ctx, idsOf(form));
      if (ids.length === 0) return reply.redirect(withParams(back(form), { error: "noneSelected", notice: null, job: null }), 303);
      return run(request, reply, ids, form);
    };

  app.post("/monitor/bulk/cancel", { schema: { hide: true } }, guarded(async (request, reply, ids, form) => {
    const reason = text(form.reason);
    if (reason.length < 3) return reply.redirect(withParams(back(form), { error: "reasonRequired", notice: null }), 303);
    let done = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        await cancelEnvelope(ctx, request.actor!, id, { ip: request.ip, reason });
        done++;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        failed++;
      }
    }
    return reply.redirect(withParams(back(form), { notice: "bulkCancelled", done: String(done), failed: String(failed), error: null }), 303);
  }, "envelopes:send"));

  app.post("/monitor/bulk/resend", { schema: { hide: true } }, guarded(async (request, reply, ids, form) => {
    let done = 0;
    let failed = 0;
    for (const envelope of await envelopesByIds(ctx, ids)) {
      for (const recipient of envelope.recipients.filter((r) => r.turnNow && r.status === "pending" && r.action !== "observe")) {
        try {
          await resendToRecipient(ctx, request.actor!, envelope.id, recipient.id, { ip: request.ip });
          done++;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          failed++;
        }
      }
    }
    return reply.redirect(withParams(back(form), { notice: "bulkResent", done: String(done), failed: String(failed), error: null }), 303);
  }, "envelopes:send"));

  // One zip of the signed PDFs of the selected envelopes that have them; streamed, one file read at a time.
  app.post("/monitor/bulk/download", { schema: { hide: true } }, guarded(async (_request, reply, ids, form) => {
    const files = (await Promise.all(ids.map((id) => envelopeFiles(ctx.db, id, "signed")))).flat();
    if (files.length === 0) return reply.redirect(withParams(back(form), { error: "noSignedSelected", notice: null }), 303);
    const zip = archiver("zip", { zlib: { level: 6 } });
    const taken = new Set<string>();
    (async () => {
      for (const file of files) zip.append(Buffer.from(await ctx.blobs.get(file.sha256)), { name: entryName(file.name, taken) });
      await zip.finalize();
    })().catch((error: Error) => zip.destroy(error));
    const stamp = ctx.clock.now().toISOString().slice(0, 10);
    return reply.type("application/zip").header("content-disposition", `attachment; filename="assinados-${stamp}.zip"`).header("cache-control", "no-store").send(zip);
  }, "envelopes:read"));
}
