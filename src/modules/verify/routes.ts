import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { domainLabels } from "../../platform/i18n/domain.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { trustAnchors } from "../seal/identity-store.js";
import { runTask } from "../../platform/workers/index.js";
import { currentCrl } from "../seal/revocations.js";
import { verifyMessages } from "./messages.js";
import { envelopeIdOfFile } from "../envelopes/queries.js";
import { envelopeVerificationSummary } from "../envelopes/verification-summary.js";
import { verifyResponse } from "./schemas.js";
import { setRetryAfter } from "../../platform/http/errors.js";
import { enforce, throttleRules } from "../../platform/throttle/index.js";

/** Verifying is open to anyone and costs a PDF parse and a signature check: counted per client address, before the upload is read. */
const throttleVerify = (ctx: AppContext, request: FastifyRequest) => enforce(ctx, throttleRules(ctx.config).verifyAddress, request.ip, "tooManyVerifications");

/**
 * Verification: is the PDF intact since it was sealed, is each signature's
 * chain trusted, is the seal this installation's, and which envelope is it.
 * The file is parsed once, within the PDF limits; an unreadable file is a 4xx.
 */
export async function verifyDocument(ctx: AppContext, bytes: Uint8Array) {
  const anchors = await trustAnchors(ctx);
  const crl = await currentCrl(ctx);
  const result = await runTask(ctx, "pades.verify", { bytes, options: { ...anchors, currentCrls: crl ? [crl] : [] } });
  const { sha256 } = result;
  // Only a file whose bytes are one this installation stored names its
  // envelope: a manifest page claiming an envelope id proves nothing.
  const envelopeId = await envelopeIdOfFile(ctx.db, sha256);
  const envelope = envelopeId ? await envelopeVerificationSummary(ctx.db, envelopeId) : null;
  return {
    verdict: result.verdict,
    valid: result.valid,
    level: result.level,
    levelReasons: result.levelReasons,
    sha256,
    signatures: result.signatures.map((s) => ({
      signer: s.signer, signedAt: s.signedAt, integrity: s.integrity, trusted: s.trusted, coversWholeDocument: s.coversWholeDocument, installationSeal: s.isInstallationSeal, problem: s.problem ?? null,
      kind: s.evidence?.kind ?? "signature", timestamp: s.evidence?.timestamp ?? null, revocation: s.evidence?.revocation ?? null,
    })),
    ...(envelopeId ? { envelopeId } : {}),
    ...(envelope ? { envelope } : {}),
  };
}

async function uploadedFile(request: FastifyRequest): Promise<Uint8Array> {
  if (!request.isMultipart()) throw new AppError("unsupported_media_type", "Send the PDF as multipart/form-data in a part named file");
  const part = await request.file({ limits: { fileSize: 20 * 1024 * 1024 } });
  if (!part || part.fieldname !== "file") throw new AppError("validation", "file: is required", { file: "is required" });
  const bytes = await part.toBuffer();
  if (part.file.truncated) throw new AppError("too_large", "The file is larger than 20 MB");
  return new Uint8Array(bytes);
}

const page = "/modules/verify/views/verify.eta";

export const verifyRoutes: RouteModule = (app) => {
  app.post(
    "/api/verify",
    { schema: { tags: ["verification"], summary: "Verify a signed PDF (multipart part `file`)", security: [], response: { 200: verifyResponse } } },
    async (request) => {
      await throttleVerify(app.ctx, request);
      return verifyDocument(app.ctx, await uploadedFile(request));
    },
  );

  app.get("/verify", { schema: { hide: true, querystring: z.object({ envelope: z.string().max(100).optional() }).passthrough() } }, async (request, reply) => {
    const locale = localeOf(request);
    const id = request.query.envelope?.trim();
    // The manifest's QR link: the envelope's summary, no upload needed.
    const summary = id ? await envelopeVerificationSummary(app.ctx.db, id) : null;
    return renderPage(request, reply, page, { v: verifyMessages(locale), labels: domainLabels[locale], result: null, linked: id ? { id, summary } : null });
  });
  app.post("/verify", { schema: { hide: true } }, async (request, reply) => {
    const locale = localeOf(request);
    const common = { v: verifyMessages(locale), labels: domainLabels[locale], linked: null };
    try {
      await throttleVerify(app.ctx, request);
      const result = await verifyDocument(app.ctx, await uploadedFile(request));
      return renderPage(request, reply, page, { ...common, result });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      setRetryAfter(reply, error);
      reply.status(error.status);
      return renderPage(request, reply, page, { ...common, result: null, error: error.messageIn(locale) });
    }
  });
};
