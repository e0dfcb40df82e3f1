import { randomBytes } from "node:crypto";

/** A multipart/form-data body for app.inject: JSON fields and files. */
export function multipart(parts: ({ name: string; value: string; contentType?: string } | { name: string; filename: string; contentType?: string; bytes: Uint8Array })[]) {
  const boundary = `----obrasign${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ("bytes" in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? "application/pdf"}\r\n\r\n`));
      chunks.push(Buffer.from(part.bytes));
    } else {
      const type = part.contentType ? `\r\nContent-Type: ${part.contentType}` : "";
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"${type}\r\n\r\n${part.value}`));
    }
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}
