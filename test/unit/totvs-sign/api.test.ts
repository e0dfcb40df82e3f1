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
  });

  it("maps every known status code and rejection type", () => {
    assert.deepEqual(
      [0, 1, 2, 4, 5, 7].map((c) => api.statusOf[c]),
      ["pending", "partially_signed", "completed", "rejected", "draft", "cancelled"],
    );
    assert.equal(api.statusOf[3], undefined);
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
