import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as api from "../../../src/modules/providers/totvs-sign/api.js";
import { Redactor } from "../../../src/modules/providers/totvs-sign/redact.js";

describe("TAE wire helpers", () => {
  it("reads both response envelopes", () => {
    assert.deepEqual(api.unwrap({ succeeded: false, description: "Senha inválida", data: null }), { ok: false, data: null, message: "Senha inválida" });
    assert.deepEqual(api.unwrap({ success: true, data: 12, errors: [], message: "" }), { ok: true, data: 12, message: null });
    assert.equal(api.unwrap({ success: false, errors: ["Falhou"], message: "" }).message, "Falhou");
    assert.equal(api.unwrap(null).ok, null);
  });

  it("reads TAE dates as UTC unless they carry an offset", () => {
    assert.equal(api.parseTaeDate("2026-11-28T23:00:00")?.toISOString(), "2026-11-28T23:00:00.000Z");
    assert.equal(api.parseTaeDate("2026-11-28T23:00:00.123")?.toISOString(), "2026-11-28T23:00:00.123Z");
    assert.equal(api.parseTaeDate("2026-11-28T20:00:00-03:00")?.toISOString(), "2026-11-28T23:00:00.000Z");
    assert.equal(api.parseTaeDate("2026-12-28")?.toISOString(), "2026-12-28T00:00:00.000Z");
    assert.equal(api.parseTaeDate(""), null);
    assert.equal(api.parseTaeDate("lixo"), null);
    // Microseconds and no zone, as TAE's .NET services write them (TAE-API.md §7).
    assert.equal(api.parseTaeDate("2022-12-05T17:27:35.146479")?.toISOString(), "2022-12-05T17:27:35.146Z");
    assert.equal(api.parseTaeDate("2022-12-05T17:27:35.1")?.toISOString(), "2022-12-05T17:27:35.100Z");
    assert.equal(api.parseTaeDate("2022-12-05 17:27")?.toISOString(), "2022-12-05T17:27:00.000Z");
    assert.equal(api.parseTaeDate("2022-12-05T17:27:35.146479+00:00")?.toISOString(), "2022-12-05T17:27:35.146Z");
    assert.equal(api.parseTaeDate("2026-02-31T00:00:00"), null);
  });

  it("maps every known status code and rejection type", () => {
    assert.deepEqual(
      [0, 1, 2, 4, 7].map((c) => api.documentStatus(c, true)),
      ["pending", "partially_signed", "completed", "rejected", "cancelled"],
    );
    // 5: a draft until published; a published document reading 5 was cancelled.
    assert.equal(api.documentStatus(5, false), "draft");
    assert.equal(api.documentStatus(5, true), "cancelled");
    // 3 and 6 are the portal's filters, not statuses.
    assert.equal(api.documentStatus(3, true), undefined);
    assert.equal(api.documentStatus(6, true), undefined);
    assert.deepEqual([0, 1, 2, 4].map(api.actedStatus), ["signed", "validated", "witnessed", "signed"]);
  });

  it("redacts known secrets and secret-looking fields", () => {
    const r = new Redactor();
    r.add("hunter22");
    assert.equal(r.text("password hunter22 and Bearer abc.def"), "password [redacted] and Bearer [redacted]");
    assert.deepEqual(r.value({ password: "x", nested: { accessToken: "y", note: "hunter22!" } }), {
      password: "[redacted]",
      nested: { accessToken: "[redacted]", note: "[redacted]!" },
    });
  });
});
