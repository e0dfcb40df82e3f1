import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../platform/errors.js";

const MAX_CERTIFICATE_FILE = 1024 * 1024;

/**
 * The parts of a seal installation (`file` = .pfx, `password`, `chain` =
 * PEM intermediates, repeatable), read the same way for the API and the page.
 * An empty file part (a form sent without choosing a file) counts as none.
 */
export async function pfxUpload(request: FastifyRequest): Promise<{ pfx: Uint8Array; password: string; pems: string[] }> {
  if (!request.isMultipart()) throw new AppError("unsupported_media_type", "Send multipart/form-data with parts file and password");
  let pfx: Uint8Array | null = null;
  let password = "";
  const extra: string[] = [];
  for await (const part of request.parts({ limits: { fileSize: MAX_CERTIFICATE_FILE } })) {
    if (part.type === "file" && part.fieldname === "file") {
      const bytes = await part.toBuffer();
      if (bytes.length > 0) pfx = new Uint8Array(bytes);
    } else if (part.type === "file" && part.fieldname === "chain") extra.push((await part.toBuffer()).toString("latin1"));
    else if (part.type === "field" && part.fieldname === "chain") extra.push(String(part.value));
    else if (part.type === "field" && part.fieldname === "password") password = String(part.value);
    else if (part.type === "file") await part.toBuffer();
  }
  if (!pfx) throw new AppError("validation", "file: the .pfx file is required", { file: "is required" });
  const pems = extra.flatMap((text) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
  return { pfx, password, pems };
}

/** The certificate part of a trust-anchor upload: multipart `certificate` (PEM or DER) or JSON `{ certificate: PEM }`. */
export async function anchorUpload(request: FastifyRequest): Promise<Uint8Array> {
  if (!request.isMultipart()) {
    const body = z.object({ certificate: z.string().min(1) }).parse(request.body);
    return Buffer.from(body.certificate, "latin1");
  }
  let found: Uint8Array | null = null;
  for await (const part of request.parts({ limits: { fileSize: MAX_CERTIFICATE_FILE } })) {
    if (part.type === "file") {
      const bytes = await part.toBuffer();
      if (part.fieldname === "certificate" && bytes.length > 0 && !found) found = new Uint8Array(bytes);
    } else if (part.fieldname === "certificate" && String(part.value).trim() && !found) found = Buffer.from(String(part.value), "latin1");
  }
  if (!found) throw new AppError("validation", "certificate: is required", { certificate: "is required" });
  return found;
}
