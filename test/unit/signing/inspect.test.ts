import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspectPdf } from "../../../src/pades/pdf/inspect.js";
import { AppError } from "../../../src/platform/errors.js";
import { contractPdf, withEarlierIncrementalUpdate } from "../../fixtures/pdf/make-fixtures.js";
import { requireTool, tempDir } from "./helpers.js";

const rejects = (bytes: Uint8Array, code: string, message: RegExp) =>
  assert.throws(() => inspectPdf(bytes), (e: unknown) => e instanceof AppError && e.code === code && message.test(e.message));

test("reads page count and version of a classic and an xref-stream PDF", async () => {
  const classic = inspectPdf(await contractPdf({ pages: 3 }));
  assert.equal(classic.pageCount, 3);
  assert.equal(classic.version, "1.7");
  assert.equal(classic.encrypted, false);
  assert.equal(classic.usesXrefStream, false);
  const compact = inspectPdf(await contractPdf({ pages: 2, useObjectStreams: true }));
  assert.equal(compact.pageCount, 2);
  assert.equal(compact.usesXrefStream, true);
});

test("counts revisions of an incrementally updated file", async () => {
  assert.equal(inspectPdf(await withEarlierIncrementalUpdate()).revisions, 2);
});

test("refuses what is not a PDF with unsupported_media_type", () => {
  rejects(Buffer.from("PK\x03\x04 a zip file"), "unsupported_media_type", /not a PDF/);
  rejects(new Uint8Array(0), "unsupported_media_type", /not a PDF/);
  rejects(Buffer.from("\x89PNG\r\n\x1a\n"), "unsupported_media_type", /not a PDF/);
});

test("refuses a PDF that only has the header, or a truncated one, with unprocessable", async () => {
  rejects(Buffer.from("%PDF-1.7\nhello"), "unprocessable", /damaged/);
  const whole = Buffer.from(await contractPdf());
  rejects(whole.subarray(0, Math.floor(whole.length / 2)), "unprocessable", /damaged/);
});

test("refuses a PDF whose startxref points nowhere", async () => {
  const text = Buffer.from(await contractPdf()).toString("latin1");
  rejects(Buffer.from(text.replace(/startxref\s+\d+/, "startxref\n999999999"), "latin1"), "unprocessable", /damaged/);
});

test("refuses an encrypted PDF with unprocessable", async () => {
  requireTool("qpdf");
  const dir = tempDir();
  writeFileSync(join(dir, "in.pdf"), await contractPdf());
  execFileSync("qpdf", ["--encrypt", "user", "owner", "256", "--", join(dir, "in.pdf"), join(dir, "out.pdf")]);
  rejects(readFileSync(join(dir, "out.pdf")), "unprocessable", /encrypted/);
});
