import { z } from "zod";
import type { RouteModule } from "../../platform/http/server.js";
import { AppError } from "../../platform/errors.js";
import { localeOf } from "../../platform/i18n/index.js";
import { installSealPfx, trustAnchors } from "./identity-store.js";
import { addTrustAnchors, listTrustAnchors, removeTrustAnchor } from "./trust-anchors.js";
import { currentCrl, revokeSealCertificate } from "./revocations.js";
import { anchorUpload, pfxUpload } from "./uploads.js";

const anchorView = z.object({ id: z.string(), subject: z.string(), fingerprint: z.string(), purpose: z.enum(["uploaded", "pfx", "tsa"]), validTo: z.string(), createdAt: z.string() });

/** The installation's seal certificate: see which one seals, or install a .pfx (admin); the trust anchors. */
export const sealRoutes: RouteModule = (app) => {
  // Public: whoever receives a signed PDF may add these CAs to a validator (pdfsig, Adobe) to check the seal's chain. Never a leaf.
  app.get("/seal/ca.pem", { schema: { tags: ["verification"], summary: "The installation's CA and the admin's trust anchors (PEM)", security: [] } }, async (_request, reply) => {
    const { trustedRoots } = await trustAnchors(app.ctx);
    return reply.type("application/x-pem-file").header("content-disposition", 'attachment; filename="obrasign-ca.pem"').send(trustedRoots.join("\n"));
  });

  // Public: the CRL named in the seal certificates' CRL distribution point (RFC 5280), freshly signed.
  app.get("/seal/crl", { schema: { tags: ["verification"], summary: "The installation CA's certificate revocation list (DER)", security: [] } }, async (_request, reply) => {
    const crl = await currentCrl(app.ctx);
    if (!crl) throw new AppError("not_found", "This installation's CA keeps no key: it publishes no CRL");
    return reply.type("application/pkix-crl").header("cache-control", "public, max-age=3600").send(Buffer.from(crl));
  });

  app.post(
    "/api/settings/seal/:id/revoke",
    {
      config: { permission: "settings:write" },
      schema: {
        tags: ["settings"], summary: "Revoke a seal certificate issued by the installation CA (listed in /seal/crl); the active one is replaced at once",
        params: z.object({ id: z.string() }),
        body: z.object({ reason: z.enum(["keyCompromise", "superseded", "cessationOfOperation", "unspecified"]).default("unspecified") }).default({ reason: "unspecified" }),
      },
    },
    async (request) => revokeSealCertificate(app.ctx, request.params.id, request.body.reason),
  );

  app.get("/api/settings/seal", { config: { permission: "settings:read" }, schema: { tags: ["settings"] } }, async () => {
    const rows = await app.ctx.db.selectFrom("seal_identities").select(["id", "source", "subject", "fingerprint", "active", "created_at"]).orderBy("created_at", "desc").execute();
    return { items: rows.map((r) => ({ id: r.id, source: r.source, subject: r.subject, fingerprint: r.fingerprint, active: r.active === 1, createdAt: r.created_at })) };
  });
  app.post(
    "/api/settings/seal",
    {
      config: { permission: "settings:write" },
      schema: {
        tags: ["settings"],
        summary: "Install a PKCS#12 (.pfx) to seal with: multipart parts `file`, `password` and optionally `chain` (PEM intermediates, repeatable)",
        description: "Refused with 422 (reason in the reader's language) when the certificate is expired or not yet valid, not made for signing, RSA below 2048 bits, or its chain is incomplete.",
      },
    },
    async (request, reply) => {
      const { pfx, password, pems } = await pfxUpload(request);
      const installed = await installSealPfx(app.ctx, request.actor!, pfx, password, pems, localeOf(request));
      return reply.status(201).send(installed);
    },
  );

  app.get(
    "/api/settings/seal/anchors",
    { config: { permission: "settings:read" }, schema: { tags: ["settings"], summary: "Trust anchors /verify chains signatures and timestamps to (besides the installation CA)", response: { 200: z.object({ items: z.array(anchorView) }) } } },
    async () => ({ items: await listTrustAnchors(app.ctx) }),
  );
  app.post(
    "/api/settings/seal/anchors",
    {
      config: { permission: "settings:write" },
      schema: { tags: ["settings"], summary: "Add trust anchors: JSON `{ certificate: PEM }` or multipart part `certificate` (PEM, one or many, or DER). CA certificates only.", response: { 201: z.object({ items: z.array(anchorView) }) } },
    },
    async (request, reply) => reply.status(201).send({ items: await addTrustAnchors(app.ctx, await anchorUpload(request), "uploaded", localeOf(request)) }),
  );
  app.delete(
    "/api/settings/seal/anchors/:id",
    { config: { permission: "settings:write" }, schema: { tags: ["settings"], summary: "Stop trusting an anchor", params: z.object({ id: z.string() }) } },
    async (request, reply) => {
      await removeTrustAnchor(app.ctx, request.params.id);
      return reply.status(204).send();
    },
  );
};
