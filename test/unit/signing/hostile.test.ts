import { test } from "node:test";
import assert from "node:assert/strict";
import { inspectPdf } from "../../../src/pades/pdf/inspect.js";
import { verifyPdf } from "../../../src/pades/verify/verify.js";
import { AppError } from "../../../src/platform/errors.js";
import {
  certifiedShell, deeplyNested, flateBombInObjectStream, flateBombInXref, hostileCorpus, hugePageCount, javaScriptBytesInsideAStream, manySignatureFields, xrefZeroWidth,
} from "../../fixtures/pdf/hostile.js";
import { requireTool } from "./helpers.js";

const statusOf = (fn: () => unknown): number => {
  try {
    fn();
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
};

test("every file of the hostile corpus is refused by inspection, and by verification where unreadable", async () => {
  requireTool("qpdf");
  for (const { name, bytes, status, verifyStatus } of await hostileCorpus()) {
    // 413 is the HTTP layer's size limit; inspection alone sees a damaged file.
    assert.equal(statusOf(() => inspectPdf(bytes)), status === 413 ? 422 : status, name);
    assert.equal(statusOf(() => verifyPdf(bytes, { trustedRoots: [] })), verifyStatus, name);
  }
});

test("a refusal over a limit names the limit, in Portuguese and English", () => {
  const cases: Array<[Buffer, RegExp]> = [
    [xrefZeroWidth(), /width 0|maxObjects/],
    [flateBombInXref(), /maxInflatedBytes/],
    [flateBombInObjectStream(), /maxInflatedBytes/],
    [deeplyNested(), /maxNestingDepth/],
    [manySignatureFields(), /maxSignatureFields/],
  ];
  for (const [bytes, limit] of cases) {
    assert.throws(() => inspectPdf(bytes), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === "unprocessable");
      assert.match(e.message, limit);
      assert.match(e.messageIn("pt-BR"), /PDF/);
      return true;
    });
  }
  assert.match((() => { try { inspectPdf(flateBombInXref()); } catch (e) { return (e as AppError).messageIn("pt-BR"); } return ""; })(), /excede o limite de tamanho descompactado/);
});

test("the page count comes from the page tree, not from /Count", () => {
  assert.equal(inspectPdf(hugePageCount()).pageCount, 1);
});

test("script-like bytes inside stream data are not active content; certified P=2/3 files are accepted and marked", () => {
  assert.equal(inspectPdf(javaScriptBytesInsideAStream()).pageCount, 1);
  assert.equal(inspectPdf(certifiedShell(2)).certification, 2);
  assert.equal(inspectPdf(certifiedShell(3)).certification, 3);
  assert.throws(() => inspectPdf(certifiedShell(1)), (e: unknown) => e instanceof AppError && /certificado não admite alterações/.test(e.messageIn("pt-BR")));
});

test("a 64 MB flate bomb is stopped without inflating it whole", () => {
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 5; i++) assert.throws(() => inspectPdf(flateBombInXref(64)));
  // Five bombs read in full would add 320 MB; the budget keeps it near one allowance.
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024);
});
