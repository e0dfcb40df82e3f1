import type { RouteModule } from "../../platform/http/server.js";
import { AppError } from "../../platform/errors.js";
import { installSealPfx, trustAnchors } from "./identity-store.js";

/** The installation's seal certificate: see which one seals, or install a .pfx (admin). */
export const sealRoutes: RouteModule = (app) => {
  // Public: whoever receives a signed PDF may add this CA to a validator (pdfsig, Adobe) to check the seal's chain.
  app.get("/seal/ca.pem", { schema: { tags: ["verification"], summary: "The installation's seal CA certificates (PEM)", security: [] } }, async (_request, reply) => {
    const { trustedRoots } = await trustAnchors(app.ctx);
    return reply.type("application/x-pem-file").header("content-disposition", 'attachment; filename="obrasign-ca.pem"').send(trustedRoots.join("\n"));
  });

  app.get("/api/settings/seal", { config: { permission: "settings:read" }, schema: { tags: ["settings"] } }, async () => {
    const rows = await app.ctx.db.selectFrom("seal_identities").select(["id", "source", "subject", "fingerprint", "active", "created_at"]).orderBy("created_at", "desc").execute();
    return { items: rows.map((r) => ({ id: r.id, source: r.source, subject: r.subject, fingerprint: r.fingerprint, active: r.active === 1, createdAt: r.created_at })) };
  });
  app.post("/api/settings/seal", { config: { permission: "settings:write" }, schema: { tags: ["settings"], summary: "Install a PKCS#12 (.pfx) to seal with: multipart parts `file` and `password`" } }, async (request, reply) => {
    if (!request.isMultipart()) throw new AppError("unsupported_media_type", "Send multipart/form-data with parts file and password");
    let pfx: Uint8Array | null = null;
    let password = "";
    for await (const part of request.parts()) {
      if (part.type === "file" && part.fieldname === "file") pfx = new Uint8Array(await part.toBuffer());
      else if (part.type === "field" && part.fieldname === "password") password = String(part.value);
    }
    if (!pfx) throw new AppError("validation", "file: the .pfx file is required", { file: "is required" });
    const installed = await installSealPfx(app.ctx, request.actor!, pfx, password);
    return reply.status(201).send(installed);
  });
};
