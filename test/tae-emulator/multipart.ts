/**
 * A small multipart/form-data reader for the TAE emulator: enough for
 * `NomeEnvelope` (text) and repeated `Envelope` file parts. Whole body in
 * memory; the emulator caps the body size before calling this.
 */

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]).trim() : null;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new Error("multipart boundary not found");
  for (;;) {
    let cursor = start + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) break;
    if (body[cursor] === 0x0d && body[cursor + 1] === 0x0a) cursor += 2;
    const next = body.indexOf(delimiter, cursor);
    if (next < 0) throw new Error("multipart body not terminated");
    // The part ends with CRLF before the next delimiter.
    const partEnd = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    const headerEnd = body.indexOf("\r\n\r\n", cursor);
    if (headerEnd < 0 || headerEnd > partEnd) throw new Error("multipart part without headers");
    const headers = parseHeaders(body.subarray(cursor, headerEnd).toString("utf8"));
    const disposition = headers["content-disposition"] ?? "";
    const name = paramOf(disposition, "name");
    if (name === null) throw new Error("multipart part without a name");
    parts.push({
      name,
      filename: paramOf(disposition, "filename"),
      contentType: headers["content-type"] ?? null,
      data: Buffer.from(body.subarray(headerEnd + 4, partEnd)),
    });
    start = next;
  }
  return parts;
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function paramOf(header: string, param: string): string | null {
  const match = new RegExp(`(?:^|;)\\s*${param}="([^"]*)"`, "i").exec(header)
    ?? new RegExp(`(?:^|;)\\s*${param}=([^;]*)`, "i").exec(header);
  return match ? match[1].trim() : null;
}
