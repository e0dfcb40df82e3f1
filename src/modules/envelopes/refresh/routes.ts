import { z } from "zod";
import { AppError, notFound } from "../../../platform/errors.js";
import type { RouteModule } from "../../../platform/http/server.js";
import { idField } from "../../../platform/validation/fields.js";
import { refreshJobStatus, startRefreshJob } from "./job.js";

const tags = ["envelopes"];

export const refreshRequest = z.strictObject({
  ids: z.array(idField).min(1, { message: "must list at least one envelope (or leave ids out for all pending)" }).max(1000).optional(),
});

const jobAnswer = z.object({ id: z.string(), status: z.enum(["queued", "running", "done", "failed"]), done: z.number(), total: z.number(), failed: z.number() });

/** `POST /api/envelopes/refresh` and `GET /api/jobs/{jobId}` (refresh jobs only). */
export const refreshRoutes: RouteModule = (app) => {
  const read = { permission: "envelopes:read" as const };

  app.post("/api/envelopes/refresh", {
    config: read,
    schema: {
      tags,
      summary: "Start the status refresh process (the given envelopes, or every pending one)",
      body: refreshRequest.nullish(),
      response: { 202: z.object({ jobId: z.string() }) },
    },
  }, async (request, reply) => {
    const ids = request.body?.ids;
    if (ids) {
      const unique = [...new Set(ids)];
      const found = await app.ctx.db.selectFrom("envelopes").select("id").where("id", "in", unique).execute();
      const known = new Set(found.map((r) => r.id));
      const missing = unique.filter((id) => !known.has(id));
      if (missing.length) throw new AppError("unprocessable", `ids: no envelope ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`, { ids: `${missing.length} unknown envelope id(s)` });
    }
    const { jobId } = await startRefreshJob(app.ctx, { ids, origin: "api" });
    return reply.status(202).send({ jobId });
  });

  app.get("/api/jobs/:jobId", {
    config: read,
    schema: { tags, summary: "Progress of a status refresh job", params: z.strictObject({ jobId: idField }), response: { 200: jobAnswer } },
  }, async (request) => {
    const job = await refreshJobStatus(app.ctx, request.params.jobId);
    if (!job) throw notFound("Job");
    return { id: job.id, status: job.status, done: job.done, total: job.total, failed: job.failed };
  });
};
