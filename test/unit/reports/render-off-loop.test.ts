/**
 * Fonts parsed once per thread, and rendering in the worker pool: the bytes
 * stay exactly what a fresh printer makes, and the renderer's own errors
 * reach the caller as the same AppError.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, describe, it } from "node:test";
import { reportDocument } from "../../../src/modules/reports/index.js";
import { createPrinter, renderPdf } from "../../../src/modules/reports/pdf.js";
import { renderReportTask, type renderReportInWorker } from "../../../src/modules/reports/render-task.js";
import { AppError } from "../../../src/platform/errors.js";
import { createWorkerPool } from "../../../src/platform/workers/index.js";
import { measurementInput } from "./fixtures.js";
import { pdfText } from "./pdf-text.js";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("report fonts, once per thread", () => {
  it("a bulletin printed with fonts reused across documents is byte for byte the one a fresh printer makes", async () => {
    const shared = createPrinter();
    for (const items of [10, 120, 3]) {
      const definition = () => reportDocument("measurement", measurementInput(items));
      const fresh = await renderPdf(definition(), createPrinter());
      const first = await renderPdf(definition(), shared);
      const again = await renderPdf(definition(), shared);
      assert.equal(sha(first), sha(fresh), `${items} items: reused fonts, first document`);
      assert.equal(sha(again), sha(fresh), `${items} items: reused fonts and layouts, later document`);
    }
  });
});

describe("report rendering in the worker pool", () => {
  const pool = createWorkerPool<{ "reports.render": typeof renderReportInWorker }>({ "reports.render": renderReportTask }, { threads: 1, memoryMb: 256, timeoutMs: 60_000 });
  after(() => pool.close());

  it("returns the same PDF as rendering in this thread", async () => {
    const input = measurementInput(25);
    const inWorker = await pool.run("reports.render", { process: "measurement", input, options: { locale: "pt-BR" } });
    assert.ok(inWorker instanceof Uint8Array);
    assert.equal(sha(inWorker), sha(await renderPdf(reportDocument("measurement", input, { locale: "pt-BR" }))));
    assert.ok((await pdfText(inWorker)).text.includes("Boletim de medição"));
  });

  it("a renderer's AppError comes back with its code and fields", async () => {
    const input = measurementInput(5);
    const wrongTotal = { ...input, measurement: { ...input.measurement, totalCents: Number(input.measurement.totalCents) + 1 } };
    await assert.rejects(pool.run("reports.render", { process: "measurement", input: wrongTotal }), (e) => e instanceof AppError && e.code === "unprocessable");
    await assert.rejects(pool.run("reports.render", { process: "measurement", input, options: { locale: "fr" as "en" } }), (e) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "validation");
      assert.deepEqual(e.fields, { locale: "pt-BR or en" });
      return true;
    });
  });
});
