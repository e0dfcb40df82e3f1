import { z } from "zod";
import type { RouteModule } from "../../platform/http/server.js";
import { idField } from "../../platform/validation/fields.js";
import { lifecycles, singular } from "./lifecycles.js";
import { getRecord, listRecords } from "./queries.js";
import { recordKinds } from "./registry.js";
import { listQuery, transitionBody } from "./schemas.js";
import { transitionRecord } from "./commands/transition-record.js";
import { upsertRecord } from "./commands/upsert-record.js";

const idParams = z.strictObject({ id: idField });
const externalParams = z.strictObject({ externalId: z.string().min(1).max(200) });

/** The same six routes for every record kind, from the registry. */
export const recordRoutes: RouteModule = (app) => {
  for (const def of recordKinds) {
    const base = `/api/${def.kind}`;
    const tags = [def.kind];
    const read = { permission: "records:read" as const };
    const write = { permission: "records:write" as const };

    app.post(base, { config: write, schema: { tags, summary: `Create a ${singular[def.kind]}`, body: def.create } }, async (request, reply) => {
      reply.status(201);
      return def.createCommand(app.ctx, request.actor!, request.body);
    });

    app.get(base, { config: read, schema: { tags, summary: `List ${def.kind}`, querystring: listQuery } }, async (request) =>
      listRecords(app.ctx, def.kind, request.query),
    );

    app.get(`${base}/:id`, { config: read, schema: { tags, params: idParams } }, async (request) =>
      getRecord(app.ctx, def.kind, request.params.id),
    );

    app.patch(`${base}/:id`, { config: write, schema: { tags, params: idParams, body: def.patch } }, async (request) =>
      def.updateCommand(app.ctx, request.actor!, request.params.id, request.body),
    );

    app.put(`${base}/external/:externalId`, { config: write, schema: { tags, summary: `Create or update a ${singular[def.kind]} by its ERP id`, params: externalParams, body: z.record(z.string(), z.unknown()) } }, async (request, reply) => {
      const { created, record } = await upsertRecord(app.ctx, request.actor!, def, request.params.externalId, request.body);
      reply.status(created ? 201 : 200);
      return record;
    });

    if (lifecycles[def.kind]) {
      app.post(`${base}/:id/transitions`, { config: write, schema: { tags, summary: `Move a ${singular[def.kind]} along its lifecycle`, params: idParams, body: transitionBody } }, async (request) =>
        transitionRecord(app.ctx, request.actor!, def.kind, request.params.id, request.body.to),
      );
    }
  }
};
